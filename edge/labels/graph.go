package labels

import (
	"math"
	"sort"
)

// Graph is a symmetric k-nearest-neighbour graph over a set of vectors,
// with edge weights normalised as D^-1/2 W D^-1/2.
type Graph struct {
	// Neighbors and Weights list, for each point, its neighbours and the
	// normalised weights of those edges.
	Neighbors [][]int
	Weights   [][]float64

	// Density is each point's mean raw edge weight, in [0, 1].
	Density []float64

	// Lengths lists the Euclidean length of each edge in Neighbors.
	Lengths [][]float64

	// Sigma is the Gaussian width: the median distance of a point to its
	// k-th nearest neighbour, at least MinSigma times the root-mean-square
	// distance of the points to their mean.
	Sigma float64
}

// MinSigma is the smallest Gaussian width relative to the spread of the
// data. Near-duplicate vectors, such as consecutive frames of a still
// scene, put the k-th neighbour almost on top of a point. Without this
// floor the width would shrink towards 0, and every other distance would
// become huge in its units.
const MinSigma = 0.05

type edge struct {
	to   int
	dist float64
}

// NewGraph builds the graph of vectors with k neighbours per point (k is
// clamped to len(vectors)-1). The Gaussian width is the median distance to
// the k-th neighbour, see Graph.Sigma. It takes O(n² d) time.
func NewGraph(vectors [][]float32, k int) *Graph {
	n := len(vectors)
	k = min(k, n-1)
	knn := make([][]edge, n)
	for i := range vectors {
		knn[i] = nearest(vectors, i, k)
	}
	sigma := max(medianKth(knn), MinSigma*rmsSpread(vectors))
	if sigma == 0 {
		sigma = 1
	}
	g := normalise(symmetric(knn, sigma))
	g.Sigma = sigma
	g.Lengths = make([][]float64, n)
	for i, nb := range g.Neighbors {
		for _, j := range nb {
			g.Lengths[i] = append(g.Lengths[i], distance(vectors[i], vectors[j]))
		}
	}
	return g
}

// nearest returns the k nearest other points of vectors[i], nearest first.
func nearest(vectors [][]float32, i, k int) []edge {
	if k <= 0 {
		return nil
	}
	best := make([]edge, 0, k+1)
	for j := range vectors {
		if j == i {
			continue
		}
		d := distance(vectors[i], vectors[j])
		if len(best) == k && d >= best[k-1].dist {
			continue
		}
		at := sort.Search(len(best), func(p int) bool { return best[p].dist > d })
		best = append(best, edge{})
		copy(best[at+1:], best[at:])
		best[at] = edge{j, d}
		best = best[:min(len(best), k)]
	}
	return best
}

func distance(a, b []float32) float64 {
	var s float64
	for i := range a {
		d := float64(a[i] - b[i])
		s += d * d
	}
	return math.Sqrt(s)
}

// medianKth returns the median distance to the k-th neighbour, or 0.
func medianKth(knn [][]edge) float64 {
	var kth []float64
	for _, es := range knn {
		if len(es) > 0 {
			kth = append(kth, es[len(es)-1].dist)
		}
	}
	if len(kth) == 0 {
		return 0
	}
	sort.Float64s(kth)
	return kth[len(kth)/2]
}

// rmsSpread returns the root-mean-square distance of vectors to their mean.
func rmsSpread(vectors [][]float32) float64 {
	if len(vectors) == 0 {
		return 0
	}
	mean := make([]float64, len(vectors[0]))
	for _, v := range vectors {
		for d, x := range v {
			mean[d] += float64(x) / float64(len(vectors))
		}
	}
	var sum float64
	for _, v := range vectors {
		for d, x := range v {
			diff := float64(x) - mean[d]
			sum += diff * diff
		}
	}
	return math.Sqrt(sum / float64(len(vectors)))
}

// symmetric returns raw weights exp(-d²/σ²) of the union of both
// directions of every kNN edge.
func symmetric(knn [][]edge, sigma float64) []map[int]float64 {
	w := make([]map[int]float64, len(knn))
	for i := range w {
		w[i] = map[int]float64{}
	}
	for i, es := range knn {
		for _, e := range es {
			v := math.Exp(-e.dist * e.dist / (sigma * sigma))
			w[i][e.to], w[e.to][i] = v, v
		}
	}
	return w
}

func normalise(w []map[int]float64) *Graph {
	n := len(w)
	g := &Graph{Neighbors: make([][]int, n), Weights: make([][]float64, n),
		Density: make([]float64, n)}
	deg := make([]float64, n)
	for i, row := range w {
		for _, v := range row {
			deg[i] += v
		}
		if len(row) > 0 {
			g.Density[i] = deg[i] / float64(len(row))
		}
	}
	for i, row := range w {
		for j, v := range row {
			g.Neighbors[i] = append(g.Neighbors[i], j)
			g.Weights[i] = append(g.Weights[i], v/math.Sqrt(deg[i]*deg[j]))
		}
	}
	return g
}
