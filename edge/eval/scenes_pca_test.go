package eval

import (
	"fmt"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/edge/cluster"
	"github.com/edgecluster/edgecluster/edge/quality"
	"github.com/edgecluster/edgecluster/edge/reduce"
)

// pcaRun is one way to put incremental PCA in front of the streaming model
// on the scene clip.
type pcaRun struct {
	// components is the PCA output dimension, 0 for raw embeddings.
	components int

	// warmup is the number of first frames that only train the PCA. With
	// frozen set, the PCA stops learning after them. Otherwise every frame
	// updates the PCA and is then projected and clustered.
	warmup int
	frozen bool

	// pretrain makes the PCA learn from one pass over the whole clip
	// before the clip is streamed, with frozen set.
	pretrain bool
}

// scenesNMIWithPCA streams the clip in order through run's PCA into the
// streaming model with the device defaults, and returns the NMI of each
// frame's final nearest cluster in the final projection.
func scenesNMIWithPCA(t *testing.T, ds Dataset, run pcaRun) float64 {
	t.Helper()
	dims := len(ds.Points[0])
	var p *reduce.Incremental
	if run.components > 0 {
		var err error
		p, err = reduce.NewIncremental(reduce.IncrementalConfig{Components: run.components}, dims)
		if err != nil {
			t.Fatal(err)
		}
		dims = run.components
	}
	project := func(v []float32, learn bool) []float32 {
		if p == nil {
			return v
		}
		if learn {
			if err := p.Update(v); err != nil {
				t.Fatal(err)
			}
		}
		out, err := p.Transform(v)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}

	if run.pretrain {
		for _, v := range ds.Points {
			project(v, true)
		}
	}

	m, err := cluster.New(cluster.Config{K: ds.K}, dims)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range ds.Points {
		learn := i < run.warmup || !run.frozen
		r := project(v, learn)
		if i < run.warmup {
			continue
		}
		if _, err := m.Observe(r, time.Unix(int64(i), 0), uint64(i)); err != nil {
			t.Fatal(err)
		}
	}
	labels := make([]int, len(ds.Points))
	for i, v := range ds.Points {
		a, err := m.Nearest(project(v, false))
		if err != nil {
			t.Fatal(err)
		}
		labels[i] = a.Cluster
	}
	return quality.NMI(ds.Truth, labels)
}

func TestScenesNMIWithPCA(t *testing.T) {
	ds := loadScenesTestdata(t)
	tests := []struct {
		run     pcaRun
		wantNMI float64
	}{
		{pcaRun{components: 0}, MinSceneNMI},

		// A basis that keeps learning moves under the centroids, so these
		// rows are measurements without a bound. They scored 0.67 and 0.83.
		{pcaRun{components: 32}, 0},
		{pcaRun{components: 32, warmup: 64}, 0},

		{pcaRun{components: 32, warmup: 64, frozen: true}, MinSceneNMI},
		{pcaRun{components: 64, warmup: 64, frozen: true}, MinSceneNMI},
		{pcaRun{components: 32, frozen: true, pretrain: true}, MinSceneNMI},
	}
	for _, tt := range tests {
		r := tt.run
		name := fmt.Sprintf("components=%d/warmup=%d/frozen=%v/pretrain=%v", r.components,
			r.warmup, r.frozen, r.pretrain)
		t.Run(name, func(t *testing.T) {
			nmi := scenesNMIWithPCA(t, ds, r)
			t.Logf("NMI %.4f", nmi)
			if nmi < tt.wantNMI {
				t.Errorf("NMI = %.4f, want >= %.2f", nmi, tt.wantNMI)
			}
		})
	}
}

// BenchmarkScenesFrame measures one clip frame through the streaming model,
// raw or after a frozen PCA projection (Transform only), or with a PCA that
// also learns from the frame (Update and Transform).
func BenchmarkScenesFrame(b *testing.B) {
	ds, err := LoadScenes("testdata/scenes.f32", "testdata/scenes.json",
		"../../demo/scenes.manifest.csv")
	if err != nil {
		b.Fatal(err)
	}
	for _, components := range []int{0, 32, 64} {
		for _, learn := range []bool{false, true} {
			if components == 0 && learn {
				continue
			}
			name := fmt.Sprintf("components=%d/learn=%v", components, learn)
			b.Run(name, func(b *testing.B) { benchmarkScenesFrame(b, ds, components, learn) })
		}
	}
}

func benchmarkScenesFrame(b *testing.B, ds Dataset, components int, learn bool) {
	dims := len(ds.Points[0])
	var p *reduce.Incremental
	if components > 0 {
		var err error
		if p, err = reduce.NewIncremental(reduce.IncrementalConfig{Components: components},
			dims); err != nil {
			b.Fatal(err)
		}
		for _, v := range ds.Points {
			if err := p.Update(v); err != nil {
				b.Fatal(err)
			}
		}
		dims = components
	}
	m, err := cluster.New(cluster.Config{K: ds.K}, dims)
	if err != nil {
		b.Fatal(err)
	}

	i := 0
	for b.Loop() {
		v := ds.Points[i%len(ds.Points)]
		if p != nil && learn {
			if err := p.Update(v); err != nil {
				b.Fatal(err)
			}
		}
		if p != nil {
			if v, err = p.Transform(v); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := m.Observe(v, time.Unix(int64(i), 0), uint64(i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
