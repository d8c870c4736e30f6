package quality

import (
	"math"
	"runtime"
	"sync"
)

// Silhouette computes the exact silhouette coefficient with Euclidean
// distance in O(n²) time, visiting each pair of points once, on up to
// GOMAXPROCS goroutines. It needs O(n·k) memory per goroutine for k
// clusters.
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

	dist := l.clusterDistanceSums()
	sums := make([]float64, len(l.labels))
	var total float64
	for i := range l.points {
		s := l.coefficient(i, dist[i])
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

// rowBlock is the number of rows that clusterDistanceSums pairs with each
// later point while that point is in the L1 cache. At 128 float64
// dimensions a block is 32 KiB.
const rowBlock = 32

// clusterDistanceSums returns, for each point i and cluster c, the sum of
// distances from i to the points of c.
func (l *labelled) clusterDistanceSums() [][]float64 {
	n, k := len(l.points), len(l.labels)
	workers := min(runtime.GOMAXPROCS(0), max(1, n/64))
	partial := make([][]float64, workers)

	var wg sync.WaitGroup
	for w := range workers {
		partial[w] = make([]float64, n*k)
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Blocks are dealt round-robin so that each worker gets a
			// similar share of the triangle.
			for start := w * rowBlock; start < n; start += workers * rowBlock {
				l.addBlock(start, min(start+rowBlock, n), partial[w])
			}
		}()
	}
	wg.Wait()

	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, k)
		for _, p := range partial {
			for c := range k {
				out[i][c] += p[i*k+c]
			}
		}
	}
	return out
}

// addBlock adds the distance between each row i in [start, end) and each
// later point j to sums, a row-major n x k table, in both directions. One
// squaredDistances call per later point covers all its rows of the block.
func (l *labelled) addBlock(start, end int, sums []float64) {
	k, dims := len(l.labels), len(l.points[0])
	var squared [rowBlock]float64
	for j := start + 1; j < len(l.points); j++ {
		y, cj := l.points[j], l.index[j]
		last := min(end, j)
		clusters := l.index[start:last]
		out := squared[:len(clusters)]
		squaredDistances(y, l.flat[start*dims:last*dims], out)
		toJ := sums[j*k : j*k+k]
		fromJ := sums[start*k+cj:]
		for t, s := range out {
			d := math.Sqrt(s)
			fromJ[t*k] += d
			toJ[clusters[t]] += d
		}
	}
}

// coefficient returns the silhouette coefficient of point i, whose summed
// distances to each cluster are dist.
func (l *labelled) coefficient(i int, dist []float64) float64 {
	own := l.index[i]
	if len(l.members[own]) == 1 {
		return 0
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

// distancesFrom returns the summed distances from point i to each cluster.
func (l *labelled) distancesFrom(i int) []float64 {
	dist := make([]float64, len(l.labels))
	for j, p := range l.points {
		if j != i {
			dist[l.index[j]] += euclidean(l.points[i], p)
		}
	}
	return dist
}
