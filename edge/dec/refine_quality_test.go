package dec_test

import (
	"math"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/edge/cluster"
	"github.com/edgecluster/edgecluster/edge/dec"
	"github.com/edgecluster/edgecluster/edge/eval"
	"github.com/edgecluster/edgecluster/edge/quality"
	"github.com/edgecluster/edgecluster/internal/vec"
)

// streamingCentroids feeds points in order to a streaming model of k
// clusters, as a device would, and returns its centroids.
func streamingCentroids(t *testing.T, points [][]float32, k int) [][]float64 {
	t.Helper()
	m, err := cluster.New(cluster.Config{K: k, Novelty: -1, Starved: -1}, len(points[0]))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, p := range points {
		if _, err := m.Observe(p, start.Add(time.Duration(i)*time.Second), uint64(i)); err != nil {
			t.Fatal(err)
		}
	}
	var out [][]float64
	for _, c := range m.Snapshot().Clusters {
		out = append(out, vec.Float64s(c.Centroid))
	}
	return out
}

// nearestLabels assigns each point to its nearest centroid.
func nearestLabels(points [][]float64, centroids [][]float64) []int {
	labels := make([]int, len(points))
	for i, p := range points {
		best := math.Inf(1)
		for j, c := range centroids {
			var d float64
			for k := range p {
				d += (p[k] - c[k]) * (p[k] - c[k])
			}
			if d < best {
				best, labels[i] = d, j
			}
		}
	}
	return labels
}

// exemplarSample keeps up to perCluster points of each cluster, taking
// every third point, like a device's exemplar reservoir spread over time.
func exemplarSample(points [][]float64, labels []int, perCluster int) [][]float64 {
	kept := map[int]int{}
	var out [][]float64
	for i, p := range points {
		if kept[labels[i]] < perCluster && i%3 == 0 {
			kept[labels[i]]++
			out = append(out, p)
		}
	}
	return out
}

// TestRefineDigitsQuality refines streaming centroids of the digits data
// set from 16 exemplars per cluster, and scores every digit by its nearest
// centroid before and after. DEC lowers KL(P‖Q), not the error against
// the true classes, so ACC and NMI may move a little either way. The test
// allows a drop of at most maxDrop.
func TestRefineDigitsQuality(t *testing.T) {
	const maxDrop = 0.005
	ds, err := eval.LoadDigits("../eval/testdata/digits.csv")
	if err != nil {
		t.Fatal(err)
	}
	points := make([][]float64, len(ds.Points))
	for i, p := range ds.Points {
		points[i] = vec.Float64s(p)
	}
	tests := []struct {
		name string
		seen int // digits the streaming model saw before refinement
	}{
		{"early", 100},
		{"midway", 500},
		{"all", len(points)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := streamingCentroids(t, ds.Points[:tt.seen], 10)
			before := nearestLabels(points, start)
			res, err := dec.Refine(exemplarSample(points, before, 16), start, dec.RefineConfig{})
			if err != nil {
				t.Fatal(err)
			}
			for i, iv := range res.Intervals {
				if iv.KLEnd > iv.KLStart {
					t.Errorf("interval %d raised KL from %.5f to %.5f", i, iv.KLStart, iv.KLEnd)
				}
			}
			after := nearestLabels(points, res.Centroids)
			accBefore, accAfter := quality.Accuracy(ds.Truth, before), quality.Accuracy(ds.Truth, after)
			nmiBefore, nmiAfter := quality.NMI(ds.Truth, before), quality.NMI(ds.Truth, after)
			if accAfter < accBefore-maxDrop {
				t.Errorf("ACC fell from %.3f to %.3f", accBefore, accAfter)
			}
			if nmiAfter < nmiBefore-maxDrop {
				t.Errorf("NMI fell from %.3f to %.3f", nmiBefore, nmiAfter)
			}
			t.Logf("ACC %.3f -> %.3f, NMI %.3f -> %.3f, %d steps", accBefore, accAfter,
				nmiBefore, nmiAfter, res.Steps)
		})
	}
}
