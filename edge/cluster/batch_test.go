package cluster

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"testing"
)

type kmeansCase struct {
	Name    string      `json:"name"`
	K       int         `json:"k"`
	Points  [][]float32 `json:"points"`
	Inertia float64     `json:"inertia"`
}

// loadKMeansCases reads testdata/kmeans/reference.json, written by
// make_reference.py with scikit-learn.
func loadKMeansCases(t *testing.T) []kmeansCase {
	t.Helper()
	data, err := os.ReadFile("testdata/kmeans/reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var document struct{ Cases []kmeansCase }
	if err := json.Unmarshal(data, &document); err != nil {
		t.Fatal(err)
	}
	if len(document.Cases) == 0 {
		t.Fatal("reference.json contains no cases")
	}
	return document.Cases
}

func TestKMeansMatchesSklearnInertia(t *testing.T) {
	for _, c := range loadKMeansCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			got, err := KMeans(c.Points, BatchConfig{K: c.K, NInit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if got.Inertia > c.Inertia*1.005 {
				t.Errorf("Inertia = %.6g, want at most 1.005 x scikit-learn's %.6g",
					got.Inertia, c.Inertia)
			}
			assertMeans(t, c.Points, got)
		})
	}
}

// assertMeans checks that every center is the mean of its points and that
// the inertia is measured from those centers.
func assertMeans(t *testing.T, points [][]float32, r BatchResult) {
	t.Helper()
	sums := make([][]float64, len(r.Centroids))
	counts := make([]int, len(r.Centroids))
	var inertia float64
	for i, p := range points {
		label := r.Labels[i]
		if sums[label] == nil {
			sums[label] = make([]float64, len(p))
		}
		counts[label]++
		for d, v := range p {
			sums[label][d] += float64(v)
		}
		inertia += squaredDistance(p, r.Centroids[label])
	}
	if math.Abs(inertia-r.Inertia) > 1e-9*inertia {
		t.Errorf("Inertia = %v, but the labels and centers give %v", r.Inertia, inertia)
	}
	for c, center := range r.Centroids {
		if counts[c] == 0 {
			t.Errorf("cluster %d is empty", c)
			continue
		}
		for d, v := range center {
			if mean := sums[c][d] / float64(counts[c]); math.Abs(float64(v)-mean) > 1e-3 {
				t.Errorf("center %d[%d] = %v, want the mean %v", c, d, v, mean)
			}
		}
	}
}

func TestKMeansReseedsEmptyCluster(t *testing.T) {
	points := [][]float32{{0}, {0.1}, {0.2}, {10}, {10.1}, {30}}
	// The third center attracts no point, so the first iteration empties
	// it and moves it to the point farthest out in the widest cluster.
	centers := [][]float32{{0.1}, {10}, {1000}}
	r := lloydRun(points, centers, 10, 0)
	counts := make([]int, 3)
	for _, label := range r.Labels {
		counts[label]++
	}
	for c, n := range counts {
		if n == 0 {
			t.Errorf("cluster %d is empty after re-seeding, labels %v", c, r.Labels)
		}
	}
	if r.Labels[5] == r.Labels[3] {
		t.Errorf("point 30 shares a cluster with point 10, labels %v", r.Labels)
	}
}

func TestKMeansDuplicatePoints(t *testing.T) {
	points := [][]float32{{1, 1}, {1, 1}, {1, 1}, {1, 1}}
	r, err := KMeans(points, BatchConfig{K: 3})
	if err != nil {
		t.Fatal(err)
	}
	if r.Inertia != 0 {
		t.Errorf("Inertia = %v, want 0", r.Inertia)
	}
}

func TestKMeansIsDeterministic(t *testing.T) {
	points := blobVectors(200, 4, 3)
	a, err := KMeans(points, BatchConfig{K: 3, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	b, err := KMeans(points, BatchConfig{K: 3, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	if a.Inertia != b.Inertia {
		t.Errorf("two runs with one seed give inertia %v and %v", a.Inertia, b.Inertia)
	}
}

func TestKMeansErrors(t *testing.T) {
	nan := float32(math.NaN())
	tests := []struct {
		name   string
		points [][]float32
		cfg    BatchConfig
		want   error
	}{
		{"negative K", [][]float32{{1}}, BatchConfig{K: -1}, ErrInvalidConfig},
		{"NaN tolerance", [][]float32{{1}}, BatchConfig{Tolerance: math.NaN()}, ErrInvalidConfig},
		{"no points", nil, BatchConfig{K: 1}, ErrInvalidVector},
		{"fewer points than K", [][]float32{{1}, {2}}, BatchConfig{K: 3}, ErrInvalidVector},
		{"ragged", [][]float32{{1}, {2, 3}}, BatchConfig{K: 1}, ErrDimension},
		{"NaN element", [][]float32{{1}, {nan}}, BatchConfig{K: 1}, ErrInvalidVector},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := KMeans(tt.points, tt.cfg)
			if !errors.Is(err, tt.want) {
				t.Errorf("error = %v, want %v", err, tt.want)
			}
		})
	}
}
