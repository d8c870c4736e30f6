package quality

import (
	"errors"
	"math"
	"testing"
)

func TestSampledSilhouetteCoverage(t *testing.T) {
	points, labels := randomLabelled(600, 8, 4)
	exact, err := Silhouette(points, labels)
	if err != nil {
		t.Fatal(err)
	}

	const trials = 200
	covered := 0
	for seed := range uint64(trials) {
		e, err := SampledSilhouette(points, labels, 60, seed)
		if err != nil {
			t.Fatal(err)
		}
		if e.Low <= exact.Overall && exact.Overall <= e.High {
			covered++
		}
	}
	// A 95% interval covers the true value in 190 of 200 trials on
	// average; the binomial standard deviation is about 3 trials.
	if covered < 180 {
		t.Errorf("95%% interval covered the exact value %.4f in %d of %d trials, want >= 180",
			exact.Overall, covered, trials)
	}
}

func TestSampledSilhouetteWholeSetIsExact(t *testing.T) {
	points, labels := randomLabelled(120, 4, 3)
	exact, err := Silhouette(points, labels)
	if err != nil {
		t.Fatal(err)
	}
	e, err := SampledSilhouette(points, labels, 1000, 1)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(e.Value-exact.Overall) > 1e-12 {
		t.Errorf("Value = %v, want %v", e.Value, exact.Overall)
	}
	if e.StdErr != 0 {
		t.Errorf("StdErr = %v, want 0", e.StdErr)
	}
	if e.Sample != 120 || e.Points != 120 {
		t.Errorf("Sample, Points = %d, %d, want 120, 120", e.Sample, e.Points)
	}
}

func TestSampledSilhouetteErrors(t *testing.T) {
	tests := []struct {
		name   string
		points [][]float32
		labels []int
		sample int
		want   error
	}{
		{"sample of one", [][]float32{{0}, {1}}, []int{0, 1}, 1, ErrInvalidInput},
		{"one cluster", [][]float32{{0}, {1}}, []int{0, 0}, 10, ErrTooFewClusters},
		{"NaN", [][]float32{{0}, {float32(math.NaN())}}, []int{0, 1}, 10, ErrInvalidInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := SampledSilhouette(tt.points, tt.labels, tt.sample, 1)
			if !errors.Is(err, tt.want) {
				t.Errorf("error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestDispersionErrors(t *testing.T) {
	if _, err := CalinskiHarabasz([][]float32{{0}, {1}}, []int{0, 1}); !errors.Is(err,
		ErrTooFewClusters) {
		t.Errorf("CalinskiHarabasz with n = k: error = %v, want ErrTooFewClusters", err)
	}
	if _, err := Inertia(nil, nil); !errors.Is(err, ErrTooFewClusters) {
		t.Errorf("Inertia of no points: error = %v, want ErrTooFewClusters", err)
	}
	j, err := Inertia([][]float32{{0}, {2}}, []int{0, 0})
	if err != nil || j != 2 {
		t.Errorf("Inertia of one cluster = %v, %v, want 2, nil", j, err)
	}
}
