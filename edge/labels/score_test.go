package labels

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// nearDuplicates returns each point of vecs copies times, moved by at most
// jitter in each dimension, like consecutive frames of a still scene.
func nearDuplicates(vecs [][]float32, truth []string, copies int, jitter float64) (
	[][]float32, []string) {
	rng := rand.New(rand.NewPCG(7, 7))
	var out [][]float32
	var classes []string
	for i, v := range vecs {
		for range copies {
			c := make([]float32, len(v))
			for d := range v {
				c[d] = v[d] + float32((rng.Float64()*2-1)*jitter)
			}
			out, classes = append(out, c), append(classes, truth[i])
		}
	}
	return out, classes
}

func TestQueueScoreBounded(t *testing.T) {
	vecs, truth := blobs(threeBlobs, 30, 1, 3)
	vecs, truth = nearDuplicates(vecs, truth, 3, 1e-4)
	g := NewGraph(vecs, 10)
	tests := []struct {
		name      string
		labelled  []int
		wantBlobs string // blobs the first five candidates may come from
	}{
		{name: "no labels", wantBlobs: "012"},
		{name: "blob 0 labelled", labelled: []int{0}, wantBlobs: "12"},
		{name: "blobs 0 and 1 labelled", labelled: []int{0, 90}, wantBlobs: "2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			known := make([]string, len(truth))
			for _, i := range tt.labelled {
				known[i] = truth[i]
			}
			sug := make([]Suggestion, len(known))
			if len(tt.labelled) > 0 {
				sug = Spread(g, known, Options{})
			}
			q := Queue(g, known, sug, len(known))
			for _, c := range q {
				if c.Score < 0 || c.Score > 1 {
					t.Errorf("point %d has score %g, want it in [0, 1]", c.Index, c.Score)
				}
			}
			for _, c := range q[:5] {
				if !strings.Contains(tt.wantBlobs, truth[c.Index]) {
					t.Errorf("queue asks point %d of blob %s, want one of blobs %s", c.Index,
						truth[c.Index], tt.wantBlobs)
				}
			}
		})
	}
}

func TestNewGraphSigmaFloor(t *testing.T) {
	vecs, truth := blobs(threeBlobs, 10, 1, 6)
	dups, _ := nearDuplicates(vecs, truth, 4, 1e-4)
	tests := []struct {
		name string
		vecs [][]float32
		want float64 // lowest Sigma
	}{
		{name: "distinct points", vecs: vecs, want: 0.3},
		{name: "near duplicates", vecs: dups, want: MinSigma * rmsSpread(dups)},
	}
	for _, tt := range tests {
		if got := NewGraph(tt.vecs, 6).Sigma; got < tt.want {
			t.Errorf("%s: Sigma = %g, want at least %g", tt.name, got, tt.want)
		}
	}
}
