package quality

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// Scores contains a clustering score for the whole point set and for each
// cluster, keyed by label.
type Scores struct {
	Overall    float64
	PerCluster map[int]float64
}

// labelled is a validated point set with its labels mapped to dense indices.
type labelled struct {
	points  [][]float64
	flat    []float64 // the points one after another, which points[i] slices
	index   []int     // dense cluster index of each point
	labels  []int     // label of each dense index, ascending
	members [][]int
}

// prepare validates points and labels, groups the points by label, and
// requires at least two points in at least two clusters.
func prepare(points [][]float32, labels []int) (*labelled, error) {
	l, err := prepareAny(points, labels)
	if err != nil && !errors.Is(err, ErrTooFewClusters) {
		return nil, err
	}
	if len(points) < 2 || l == nil || len(l.labels) < 2 {
		clusters := 0
		if l != nil {
			clusters = len(l.labels)
		}
		return nil, fmt.Errorf("%w: got %d points in %d clusters",
			ErrTooFewClusters, len(points), clusters)
	}
	return l, nil
}

// prepareAny validates points and labels and groups the points by label. It
// accepts a single cluster and returns ErrTooFewClusters only for no points.
func prepareAny(points [][]float32, labels []int) (*labelled, error) {
	if len(points) != len(labels) {
		return nil, fmt.Errorf("%w: %d points but %d labels",
			ErrInvalidInput, len(points), len(labels))
	}
	if len(points) == 0 {
		return nil, fmt.Errorf("%w: got no points", ErrTooFewClusters)
	}

	converted, flat, err := convertPoints(points)
	if err != nil {
		return nil, err
	}

	l := &labelled{points: converted, flat: flat}
	l.groupLabels(labels)
	return l, nil
}

func errTooFewPoints(n, k int) error {
	return fmt.Errorf("%w: got %d points in %d clusters, want more points than clusters",
		ErrTooFewClusters, n, k)
}

// convertPoints returns the points as float64 rows that are windows of one
// array, returned too, so that consecutive rows read as one slice.
func convertPoints(points [][]float32) ([][]float64, []float64, error) {
	dims := len(points[0])
	flat := make([]float64, len(points)*dims)
	out := make([][]float64, len(points))
	for i, p := range points {
		if len(p) != dims {
			return nil, nil, fmt.Errorf("%w: point %d has %d dimensions, point 0 has %d",
				ErrInvalidInput, i, len(p), dims)
		}

		out[i] = flat[i*dims : (i+1)*dims : (i+1)*dims]
		for j, v := range p {
			f := float64(v)
			if math.IsNaN(f) || math.IsInf(f, 0) {
				return nil, nil, fmt.Errorf("%w: point %d has non-finite coordinate %d",
					ErrInvalidInput, i, j)
			}
			out[i][j] = f
		}
	}
	return out, flat, nil
}

// groupLabels assigns dense indices to labels in ascending label order, as
// scikit-learn's LabelEncoder does.
func (l *labelled) groupLabels(labels []int) {
	seen := make(map[int]bool)
	for _, label := range labels {
		if !seen[label] {
			seen[label] = true
			l.labels = append(l.labels, label)
		}
	}
	sort.Ints(l.labels)

	dense := make(map[int]int, len(l.labels))
	for i, label := range l.labels {
		dense[label] = i
	}

	l.index = make([]int, len(labels))
	l.members = make([][]int, len(l.labels))
	for i, label := range labels {
		c := dense[label]
		l.index[i] = c
		l.members[c] = append(l.members[c], i)
	}
}

func euclidean(a, b []float64) float64 {
	return math.Sqrt(squaredEuclidean(a, b))
}
