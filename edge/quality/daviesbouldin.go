package quality

import "math"

// closeToZero is the absolute tolerance below which scikit-learn's
// np.allclose treats intra-cluster scatter or centroid distances as zero.
const closeToZero = 1e-8

// DaviesBouldin computes the Davies-Bouldin index with Euclidean distance.
// Lower values mean more compact, better separated clusters.
//
// For clusters i and j whose points lie at mean distances S_i and S_j from
// their centroids, and whose centroids are M_ij apart, the similarity is
// R_ij = (S_i+S_j)/M_ij. PerCluster is max_j R_ij for each cluster, which is
// its worst pair, and Overall is the mean of those maxima. Pairs with
// identical centroids count as R_ij = 0.
// When every S_i or every M_ij is below 1e-8, every score is 0, as in
// scikit-learn.
//
// DaviesBouldin returns an error wrapping ErrTooFewClusters for fewer than
// two points or fewer than two distinct labels, and ErrInvalidInput for
// malformed input.
func DaviesBouldin(points [][]float32, labels []int) (Scores, error) {
	l, err := prepare(points, labels)
	if err != nil {
		return Scores{}, err
	}

	centroids, scatter := l.centroids()
	separation := pairwise(centroids)
	worst := make([]float64, len(centroids))
	if !allCloseToZero(scatter) && !allCloseToZero(separation) {
		worst = worstRatios(scatter, separation)
	}

	scores := Scores{PerCluster: make(map[int]float64, len(l.labels))}
	for c, label := range l.labels {
		scores.PerCluster[label] = worst[c]
		scores.Overall += worst[c]
	}
	scores.Overall /= float64(len(worst))
	return scores, nil
}

// centroids returns each cluster's mean and the mean distance of its points
// to that mean.
func (l *labelled) centroids() ([][]float64, []float64) {
	dims := len(l.points[0])
	centroids := make([][]float64, len(l.members))
	scatter := make([]float64, len(l.members))
	for c, members := range l.members {
		centroid := make([]float64, dims)
		for _, i := range members {
			for d, v := range l.points[i] {
				centroid[d] += v
			}
		}
		for d := range centroid {
			centroid[d] /= float64(len(members))
		}

		for _, i := range members {
			scatter[c] += euclidean(l.points[i], centroid)
		}
		scatter[c] /= float64(len(members))
		centroids[c] = centroid
	}
	return centroids, scatter
}

// pairwise returns the upper triangle of the centroid distance matrix, row
// by row.
func pairwise(centroids [][]float64) []float64 {
	var out []float64
	for i := range centroids {
		for j := i + 1; j < len(centroids); j++ {
			out = append(out, euclidean(centroids[i], centroids[j]))
		}
	}
	return out
}

func allCloseToZero(values []float64) bool {
	for _, v := range values {
		if math.Abs(v) > closeToZero {
			return false
		}
	}
	return true
}

// worstRatios returns max_j R_ij for each cluster i, reading M_ij from the
// upper triangle produced by pairwise.
func worstRatios(scatter, separation []float64) []float64 {
	k := len(scatter)
	worst := make([]float64, k)
	next := 0
	for i := 0; i < k; i++ {
		for j := i + 1; j < k; j++ {
			m := separation[next]
			next++
			if m == 0 {
				continue
			}

			r := (scatter[i] + scatter[j]) / m
			worst[i] = max(worst[i], r)
			worst[j] = max(worst[j], r)
		}
	}
	return worst
}
