package quality

// Silhouette computes the exact silhouette coefficient with Euclidean
// distance in O(n²) time and O(k) memory per point.
//
// For point i with mean distance a to the other points of its cluster and
// minimum mean distance b to the points of any other cluster, the coefficient
// is (b-a)/max(a,b). A point in a singleton cluster scores 0, as in
// scikit-learn. PerCluster is the mean coefficient of each cluster's points
// and Overall is the mean over all points. When every point is its own
// cluster, every score is 0; scikit-learn rejects that input instead.
//
// Silhouette returns an error wrapping ErrTooFewClusters for fewer than two
// points or fewer than two distinct labels, and ErrInvalidInput for
// malformed input.
func Silhouette(points [][]float32, labels []int) (Scores, error) {
	l, err := prepare(points, labels)
	if err != nil {
		return Scores{}, err
	}

	sums := make([]float64, len(l.labels))
	var total float64
	for i := range l.points {
		s := l.silhouetteOf(i)
		sums[l.index[i]] += s
		total += s
	}

	scores := Scores{
		Overall:    total / float64(len(l.points)),
		PerCluster: make(map[int]float64, len(l.labels)),
	}
	for c, label := range l.labels {
		scores.PerCluster[label] = sums[c] / float64(len(l.members[c]))
	}
	return scores, nil
}

// silhouetteOf returns the silhouette coefficient of point i.
func (l *labelled) silhouetteOf(i int) float64 {
	own := l.index[i]
	if len(l.members[own]) == 1 {
		return 0
	}

	dist := make([]float64, len(l.labels))
	for j, p := range l.points {
		if j != i {
			dist[l.index[j]] += euclidean(l.points[i], p)
		}
	}

	a := dist[own] / float64(len(l.members[own])-1)
	b := -1.0
	for c := range dist {
		mean := dist[c] / float64(len(l.members[c]))
		if c != own && (b < 0 || mean < b) {
			b = mean
		}
	}

	denominator := max(a, b)
	if denominator == 0 {
		return 0
	}
	return (b - a) / denominator
}
