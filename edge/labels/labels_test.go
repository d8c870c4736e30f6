package labels

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// blobs returns n points per centre, spread by sd around each centre, and
// the index of each point's centre as its true label.
func blobs(centres [][]float32, n int, sd float64, seed uint64) ([][]float32, []string) {
	rng := rand.New(rand.NewPCG(seed, seed))
	var vecs [][]float32
	var truth []string
	for c, centre := range centres {
		for i := 0; i < n; i++ {
			v := make([]float32, len(centre))
			for d := range v {
				v[d] = centre[d] + float32(rng.NormFloat64()*sd)
			}
			vecs = append(vecs, v)
			truth = append(truth, fmt.Sprint(c))
		}
	}
	return vecs, truth
}

var threeBlobs = [][]float32{{0, 0}, {10, 0}, {0, 10}}

func TestSpread(t *testing.T) {
	vecs, truth := blobs(threeBlobs, 30, 1, 1)
	g := NewGraph(vecs, 6)
	tests := []struct {
		name   string
		seeds  []int
		want   float64 // minimum accuracy
		labels int     // labels that must appear in the suggestions
	}{
		{"one per blob", []int{0, 30, 60}, 0.99, 3},
		{"two blobs only", []int{0, 30}, 0.6, 2},
		{"none", nil, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			known := make([]string, len(truth))
			for _, i := range tt.seeds {
				known[i] = truth[i]
			}
			sug := Spread(g, known, Options{})
			if acc := Accuracy(sug, truth); acc < tt.want {
				t.Errorf("accuracy %.3f, want >= %.2f", acc, tt.want)
			}
			seen := map[string]bool{}
			for _, s := range sug {
				if s.Label != "" {
					seen[s.Label] = true
				}
			}
			if len(seen) != tt.labels {
				t.Errorf("suggestions use %d labels, want %d", len(seen), tt.labels)
			}
		})
	}
}

func TestSpreadConfidenceRange(t *testing.T) {
	vecs, truth := blobs(threeBlobs, 20, 2, 2)
	known := make([]string, len(truth))
	known[0], known[20] = truth[0], truth[20]
	for i, s := range Spread(NewGraph(vecs, 5), known, Options{}) {
		if s.Confidence < 0 || s.Confidence > 1 || s.Margin < 0 || s.Margin > s.Confidence {
			t.Errorf("point %d: confidence %.3f margin %.3f out of range", i, s.Confidence,
				s.Margin)
		}
	}
}

func TestQueueAsksUncoveredBlobFirst(t *testing.T) {
	vecs, truth := blobs(threeBlobs, 30, 1, 3)
	g := NewGraph(vecs, 6)
	known := make([]string, len(truth))
	known[0], known[30] = truth[0], truth[30]
	sug := Spread(g, known, Options{})

	q := Queue(g, known, sug, 5)
	if len(q) != 5 {
		t.Fatalf("queue has %d entries, want 5", len(q))
	}
	for _, c := range q {
		if truth[c.Index] != "2" {
			t.Errorf("queue asks point %d of blob %s, want the unlabelled blob 2", c.Index,
				truth[c.Index])
		}
		if known[c.Index] != "" {
			t.Errorf("queue asks labelled point %d", c.Index)
		}
	}
}

func TestQueueSkipsLabelled(t *testing.T) {
	vecs, truth := blobs(threeBlobs, 3, 1, 4)
	g := NewGraph(vecs, 3)
	known := append([]string(nil), truth...)
	known[4] = ""
	q := Queue(g, known, Spread(g, known, Options{}), 10)
	if len(q) != 1 || q[0].Index != 4 {
		t.Errorf("queue %+v, want only point 4", q)
	}
}

func TestSimulateActiveBeatsRandom(t *testing.T) {
	centres := [][]float32{{0, 0}, {8, 0}, {0, 8}, {8, 8}, {4, 16}, {16, 4}}
	vecs, truth := blobs(centres, 40, 1, 5)
	g := NewGraph(vecs, 8)
	active := Simulate(g, truth, Active, 6, Options{}, rand.New(rand.NewPCG(1, 1)))
	random := Simulate(g, truth, Random, 6, Options{}, rand.New(rand.NewPCG(1, 1)))
	if got := active[5].Accuracy; got < 0.95 {
		t.Errorf("active accuracy with one label per blob %.3f, want >= 0.95", got)
	}
	if active[5].Accuracy <= random[5].Accuracy {
		t.Errorf("active %.3f not above random %.3f after 6 labels", active[5].Accuracy,
			random[5].Accuracy)
	}
}

func TestNewGraphSymmetric(t *testing.T) {
	vecs, _ := blobs(threeBlobs, 10, 1, 6)
	g := NewGraph(vecs, 4)
	for i, nb := range g.Neighbors {
		for e, j := range nb {
			back := -1
			for f, k := range g.Neighbors[j] {
				if k == i {
					back = f
				}
			}
			if back < 0 {
				t.Fatalf("edge %d-%d has no reverse", i, j)
			}
			if g.Weights[i][e] != g.Weights[j][back] {
				t.Errorf("edge %d-%d weight %g, reverse %g", i, j, g.Weights[i][e],
					g.Weights[j][back])
			}
		}
	}
}

func BenchmarkSpread(b *testing.B) {
	for _, n := range []int{100, 1000} {
		vecs, truth := blobs(threeBlobs, n/3, 1, 7)
		g := NewGraph(vecs, 10)
		known := make([]string, len(truth))
		known[0] = truth[0]
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				Spread(g, known, Options{})
			}
		})
	}
}

func BenchmarkNewGraph(b *testing.B) {
	for _, n := range []int{100, 1000} {
		vecs, _ := blobs(threeBlobs, n/3, 1, 8)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				NewGraph(vecs, 10)
			}
		})
	}
}

func TestNewGraphSinglePoint(t *testing.T) {
	g := NewGraph([][]float32{{1, 2}}, 5)
	if len(g.Neighbors) != 1 || len(g.Neighbors[0]) != 0 {
		t.Errorf("neighbours %v, want one point without edges", g.Neighbors)
	}
	sug := Spread(g, []string{"a"}, Options{})
	if sug[0].Label != "a" {
		t.Errorf("single labelled point suggests %q, want a", sug[0].Label)
	}
}
