package dec

import (
	"errors"
	"math"
	"testing"
)

func TestRefineLowersKLAndKeepsOrder(t *testing.T) {
	samples, _ := blobs(120, 3, 4, 0.2, 1)
	start := cloneRows(samples[:3])
	orig := cloneRows(start)
	res, err := Refine(samples, start, RefineConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Steps == 0 || len(res.Intervals) == 0 {
		t.Fatalf("ran %d steps in %d intervals, want some", res.Steps, len(res.Intervals))
	}
	for i, iv := range res.Intervals {
		if iv.KLEnd >= iv.KLStart {
			t.Errorf("interval %d: KL %.6f -> %.6f, want lower", i, iv.KLStart, iv.KLEnd)
		}
	}
	reversed, err := Refine(samples, [][]float64{start[2], start[1], start[0]}, RefineConfig{})
	if err != nil {
		t.Fatal(err)
	}
	for j := range start {
		if d := sqDist(res.Centroids[j], reversed.Centroids[2-j]); d > 1e-18 {
			t.Errorf("centroid %d moved elsewhere when the input order was reversed: "+
				"squared distance %g", j, d)
		}
	}
	if sqDist(start[0], orig[0]) != 0 {
		t.Error("Refine changed the caller's centroids")
	}
}

func TestRefineContinueBoundsSteps(t *testing.T) {
	samples, _ := blobs(60, 3, 4, 0.2, 2)
	tests := []struct {
		name     string
		interval int
		allowed  int
		want     int
	}{
		{"none", 0, 0, 0},
		{"three", 0, 3, 3},
		{"long interval", 100, 25, 25},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			cfg := RefineConfig{UpdateInterval: tt.interval, MaxSteps: 1000, Continue: func() bool {
				calls++
				return calls <= tt.allowed
			}}
			res, err := Refine(samples, samples[:3], cfg)
			if err != nil {
				t.Fatal(err)
			}
			if res.Steps != tt.want {
				t.Errorf("steps = %d, want %d", res.Steps, tt.want)
			}
			if !res.Stopped {
				t.Error("Stopped = false, want true")
			}
			if res.Converged {
				t.Error("Converged = true for a run that Continue stopped")
			}
			if calls != tt.want+1 {
				t.Errorf("Continue called %d times, want %d", calls, tt.want+1)
			}
		})
	}
}

func TestRefineRejectsBadInput(t *testing.T) {
	good := [][]float64{{0, 1}, {1, 0}}
	tests := []struct {
		name      string
		samples   [][]float64
		centroids [][]float64
		cfg       RefineConfig
	}{
		{"no samples", nil, good, RefineConfig{}},
		{"no centroids", good, nil, RefineConfig{}},
		{"ragged sample", [][]float64{{0, 1}, {1}}, good, RefineConfig{}},
		{"ragged centroid", good, [][]float64{{0, 1}, {1, 0, 2}}, RefineConfig{}},
		{"NaN sample", [][]float64{{math.NaN(), 1}}, good, RefineConfig{}},
		{"negative steps", good, good, RefineConfig{MaxSteps: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Refine(tt.samples, tt.centroids, tt.cfg)
			if !errors.Is(err, ErrInvalidInput) {
				t.Errorf("err = %v, want ErrInvalidInput", err)
			}
		})
	}
}

// BenchmarkRefine times 10 DEC steps on device-sized inputs: exemplars
// per cluster × clusters of the bundled model's 1280-d embeddings.
func BenchmarkRefine(b *testing.B) {
	sizes := []struct {
		name                string
		perCluster, k, dims int
	}{
		{"16x8x1280", 16, 8, 1280},
		{"16x64x1280", 16, 64, 1280},
		{"64x64x1280", 64, 64, 1280},
	}
	for _, sz := range sizes {
		b.Run(sz.name, func(b *testing.B) {
			samples, _ := blobs(sz.perCluster*sz.k, sz.k, sz.dims, 0.1, 3)
			start := cloneRows(samples[:sz.k])
			cfg := RefineConfig{MaxSteps: 10, UpdateInterval: 10}
			for b.Loop() {
				if _, err := Refine(samples, start, cfg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestRefineKernelMatchesPairwise(t *testing.T) {
	samples, _ := blobs(50, 4, 6, 0.3, 4)
	centroids := cloneRows(samples[:4])
	for _, alpha := range []float64{1, 2.5} {
		k := newRefineKernel(samples, alpha)
		q, kernel := k.assign(centroids)
		wantQ, wantKernel := softAssign(samples, centroids, alpha)
		p := targetDistribution(wantQ)
		grads := k.gradients(centroids, p, q, kernel)
		_, wantGrads := klGradients(samples, centroids, p, wantQ, wantKernel, alpha)
		for i := range q {
			for j := range q[i] {
				if d := math.Abs(q[i][j] - wantQ[i][j]); d > 1e-12 {
					t.Errorf("alpha %g: q[%d][%d] = %g, pairwise %g", alpha, i, j, q[i][j],
						wantQ[i][j])
				}
			}
		}
		for j := range grads {
			for d := range grads[j] {
				if diff := math.Abs(grads[j][d] - wantGrads[j][d]); diff > 1e-12 {
					t.Errorf("alpha %g: gradient[%d][%d] = %g, pairwise %g", alpha, j, d,
						grads[j][d], wantGrads[j][d])
				}
			}
		}
	}
}
