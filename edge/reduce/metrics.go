package reduce

import (
	"context"
	"fmt"
	"math"
	"slices"
)

// KLDivergence returns KL(P || Q) of the embedding y of x, with P built
// from x as TSNE builds it with opts (perplexity, neighbour count) and Q
// the exact Student-t similarities of y over all pairs. It costs O(n²) and
// scores embeddings from any program on the same P.
func KLDivergence(x, y [][]float64, opts TSNEOptions) (float64, error) {
	dims, err := checkPair(x, y)
	if err != nil {
		return 0, err
	}
	opts.Dims = dims
	cfg, err := opts.resolve(len(x))
	if err != nil {
		return 0, err
	}
	p, err := affinities(context.Background(), x, cfg)
	if err != nil {
		return 0, err
	}
	flat := flatten(y)
	z := 0.0
	for i := range y {
		z += pairRepulsion(flat, dims, i, make([]float64, dims))
	}
	return sparseKL(p, flat, dims, z), nil
}

// Trustworthiness returns how well y keeps the k nearest neighbours of
// each row of x, in [0, 1] with 1 when no embedding neighbour is a
// stranger in x. It follows the definition of Venna and Kaski that
// scikit-learn 1.2's sklearn.manifold.trustworthiness implements and costs
// O(n² log n). k must be below n/2.
func Trustworthiness(x, y [][]float64, k int) (float64, error) {
	if _, err := checkPair(x, y); err != nil {
		return 0, err
	}
	n := len(x)
	if k < 1 || 2*k >= n {
		return 0, fmt.Errorf("%w: trustworthiness with k = %d for %d rows; use 1 <= k < n/2",
			ErrInvalidInput, k, n)
	}

	penalty := make([]float64, n)
	parallelFor(defaultWorkers(), n, func(lo, hi int) {
		rank := make([]int, n)
		for i := lo; i < hi; i++ {
			penalty[i] = strangerPenalty(x, y, i, k, rank)
		}
	})
	total := 0.0
	for _, v := range penalty {
		total += v
	}
	scale := 2 / (float64(n) * float64(k) * (2*float64(n) - 3*float64(k) - 1))
	return 1 - scale*total, nil
}

// strangerPenalty sums rank(j) - k over the embedding's k nearest
// neighbours j of row i whose rank among i's neighbours in x exceeds k.
func strangerPenalty(x, y [][]float64, i, k int, rank []int) float64 {
	order := byDistance(x, i)
	for r, j := range order {
		rank[j] = r
	}
	sum := 0.0
	for _, j := range byDistance(y, i)[1 : k+1] {
		if rank[j] > k {
			sum += float64(rank[j] - k)
		}
	}
	return sum
}

// byDistance returns all row indices sorted by distance from row i, with i
// first and ties broken by index.
func byDistance(rows [][]float64, i int) []int {
	dist := make([]float64, len(rows))
	order := make([]int, len(rows))
	for j := range rows {
		dist[j], order[j] = squared(rows[i], rows[j]), j
	}
	dist[i] = math.Inf(-1)
	slices.SortFunc(order, func(a, b int) int {
		if c := cmpFloat(dist[a], dist[b]); c != 0 {
			return c
		}
		return a - b
	})
	return order
}

func squared(a, b []float64) float64 {
	s := 0.0
	for j, v := range a {
		d := v - b[j]
		s += d * d
	}
	return s
}

func checkPair(x, y [][]float64) (int, error) {
	if _, err := checkRows(x); err != nil {
		return 0, err
	}
	dims, err := checkRows(y)
	if err != nil {
		return 0, fmt.Errorf("embedding: %w", err)
	}
	if len(x) != len(y) {
		return 0, fmt.Errorf("%w: %d data rows but %d embedding rows", ErrInvalidInput,
			len(x), len(y))
	}
	return dims, nil
}

func flatten(rows [][]float64) []float64 {
	var flat []float64
	for _, r := range rows {
		flat = append(flat, r...)
	}
	return flat
}
