package cluster

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestKernelsMatchFloat64(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, dims := range []int{0, 1, 3, 4, 7, 8, 31, 32, 33, 64, 129, 1280} {
		x, a, b := randomVector(rng, dims), randomVector(rng, dims), randomVector(rng, dims)
		wantA, wantB := dot64(x, a), dot64(x, b)

		if got := dotGeneric(x, a); !near(float64(got), wantA) {
			t.Errorf("dims %d: dotGeneric = %v, want %v", dims, got, wantA)
		}
		if got := dot(x, a); !near(float64(got), wantA) {
			t.Errorf("dims %d: dot = %v, want %v", dims, got, wantA)
		}
		genericA, genericB := dot2Generic(x, a, b)
		if !near(float64(genericA), wantA) || !near(float64(genericB), wantB) {
			t.Errorf("dims %d: dot2Generic = %v, %v, want %v, %v", dims, genericA, genericB,
				wantA, wantB)
		}
		gotA, gotB := dot2(x, a, b)
		if !near(float64(gotA), wantA) || !near(float64(gotB), wantB) {
			t.Errorf("dims %d: dot2 = %v, %v, want %v, %v", dims, gotA, gotB, wantA, wantB)
		}
	}
}

func TestFinite(t *testing.T) {
	tests := []struct {
		name string
		vec  []float32
		want bool
	}{
		{"empty", nil, true},
		{"finite", []float32{1, -2, 3, 4, 5, math.MaxFloat32}, true},
		{"NaN in tail", []float32{1, 2, 3, 4, float32(math.NaN())}, false},
		{"Inf in body", []float32{1, float32(math.Inf(-1)), 3, 4, 5}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := finite(tt.vec); got != tt.want {
				t.Errorf("finite = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestNearestMatchesBruteForce checks the float32 ranking against float64
// distances to every centroid, allowing only near-ties to differ.
func TestNearestMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, metric := range []Metric{Euclidean, Cosine} {
		for _, k := range []int{1, 2, 5, 16} {
			m := mustNew(t, Config{K: k, Metric: metric, SeedFrames: 4 * k}, 33)
			for i := 0; !m.Seeded(); i++ {
				mustObserve(t, m, randomVector(rng, 33), i)
			}

			for range 200 {
				x := randomVector(rng, 33)
				got, gotDistance := m.nearest(x)
				want, wantDistance := bruteNearest(m, x)
				if got != want && math.Abs(gotDistance-wantDistance) > 1e-5 {
					t.Fatalf("%v K=%d: nearest = %d at %v, want %d at %v",
						metric, k, got, gotDistance, want, wantDistance)
				}
			}
		}
	}
}

func bruteNearest(m *Model, x []float32) (int, float64) {
	best, bestDistance := -1, 0.0
	for i, c := range m.clusters {
		d := distance(m.cfg.Metric, x, c.Centroid)
		if best < 0 || d < bestDistance {
			best, bestDistance = i, d
		}
	}
	return best, bestDistance
}

func TestNearestAfterRestoreAndMerge(t *testing.T) {
	m := mustNew(t, Config{K: 3, SeedFrames: 3}, 2)
	for i, v := range [][]float32{{0, 0}, {10, 0}, {0, 10}} {
		mustObserve(t, m, v, i)
	}
	// A far vector merges the two closest clusters and spawns a new one, so
	// the cached centroid norms must be rebuilt.
	mustObserve(t, m, []float32{1000, 1000}, 3)
	restored, err := Restore(m.Config(), m.Snapshot())
	if err != nil {
		t.Fatal(err)
	}

	for _, model := range []*Model{m, restored} {
		got, err := model.Nearest([]float32{990, 990})
		if err != nil {
			t.Fatal(err)
		}
		if want := model.Snapshot().Clusters[len(model.clusters)-1].ID; got.Cluster != want {
			t.Errorf("Nearest = cluster %d, want the spawned cluster %d", got.Cluster, want)
		}
	}
}

func randomVector(rng *rand.Rand, dims int) []float32 {
	out := make([]float32, dims)
	for i := range out {
		out[i] = float32(rng.NormFloat64())
	}
	return out
}

func dot64(x, c []float32) float64 {
	var sum float64
	for i := range x {
		sum += float64(x[i]) * float64(c[i])
	}
	return sum
}

func near(got, want float64) bool {
	return math.Abs(got-want) <= 1e-5*max(1, math.Abs(want))
}
