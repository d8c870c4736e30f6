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

// unitBlobs returns blobs scaled to unit length, like image embeddings,
// and the means of their nearest-sample partition as start centroids.
func unitBlobs(n, k, dims int, seed uint64) (samples, centroids [][]float64) {
	samples, _ = blobs(n, k, dims, 0.6, seed)
	for _, s := range samples {
		norm := math.Sqrt(dot(s, s))
		for d := range s {
			s[d] /= norm
		}
	}
	centroids = cloneRows(samples[:k])
	for range 5 {
		centroids = partitionMeans(samples, centroids)
	}
	return samples, centroids
}

// partitionMeans runs one Lloyd step: the mean of the samples nearest each
// centroid, or the centroid itself when none is nearest.
func partitionMeans(samples, centroids [][]float64) [][]float64 {
	sums := zeros(len(centroids), len(centroids[0]))
	counts := make([]float64, len(centroids))
	for _, s := range samples {
		best, nearest := math.Inf(1), 0
		for j, c := range centroids {
			if d := sqDist(s, c); d < best {
				best, nearest = d, j
			}
		}
		counts[nearest]++
		for d, v := range s {
			sums[nearest][d] += v
		}
	}
	out := cloneRows(centroids)
	for j := range out {
		for d := range out[j] {
			if counts[j] > 0 {
				out[j][d] = sums[j][d] / counts[j]
			}
		}
	}
	return out
}

// TestRefineRepeatedRunsSettle feeds each result back as the next input
// over the same samples, as an idle device without new frames would. The
// later runs must leave the centroids where they are.
func TestRefineRepeatedRunsSettle(t *testing.T) {
	const runs = 25
	samples, centroids := unitBlobs(128, 8, 32, 7)
	start := cloneRows(centroids)
	shifts := make([]float64, runs)
	for run := range runs {
		res, err := Refine(samples, centroids, RefineConfig{})
		if err != nil {
			t.Fatal(err)
		}
		for j := range centroids {
			shifts[run] = max(shifts[run], math.Sqrt(sqDist(centroids[j], res.Centroids[j])))
		}
		if res.Converged && run > 0 && shifts[run] > 1e-12 {
			t.Errorf("run %d: converged but moved a centroid by %g", run, shifts[run])
		}
		centroids = res.Centroids
	}
	var total float64
	for j := range centroids {
		total = max(total, math.Sqrt(sqDist(start[j], centroids[j])))
	}
	if total > 2*shifts[0] {
		t.Errorf("centroids drifted %.4f over %d runs, the first run moved %.4f", total, runs,
			shifts[0])
	}
	var late float64
	for _, s := range shifts[runs/2:] {
		late += s
	}
	if late > 0.1*shifts[0] {
		t.Errorf("the last %d runs moved %.4f in total, want under a tenth of the first "+
			"run's %.4f", runs-runs/2, late, shifts[0])
	}
}
