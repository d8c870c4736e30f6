package reduce

import (
	"math"
	"slices"
)

// Binary search limits for each point's Gaussian precision.
const (
	entropyTolerance = 1e-5
	maxBisections    = 200
)

// sparseP is the symmetric joint probability matrix P in compressed sparse
// row form: row i holds columns cols[start[i]:start[i+1]].
type sparseP struct {
	start []int
	cols  []int
	vals  []float64
}

// conditional computes p(j|i) over the neighbours of point i: a Gaussian
// kernel on squared distances whose precision beta is bisected until the
// distribution's entropy equals log(perplexity) within entropyTolerance.
// It writes the probabilities to p.
func conditional(neighbours []neighbour, perplexity float64, p []float64) {
	target := math.Log(perplexity)
	nearest := neighbours[0].distance * neighbours[0].distance
	shifted := make([]float64, len(neighbours))
	for j, n := range neighbours {
		shifted[j] = n.distance*n.distance - nearest
	}

	beta, lo, hi := 1.0, 0.0, math.Inf(1)
	for range maxBisections {
		entropy := gaussianRow(shifted, beta, p)
		diff := entropy - target
		if math.Abs(diff) < entropyTolerance {
			break
		}
		if diff > 0 {
			lo = beta
			beta = nextBeta(beta*2, lo, hi)
		} else {
			hi = beta
			beta = nextBeta(beta/2, lo, hi)
		}
	}
}

// nextBeta returns the midpoint of [lo, hi] once both ends are known and
// the doubled or halved guess until then.
func nextBeta(guess, lo, hi float64) float64 {
	if lo > 0 && !math.IsInf(hi, 1) {
		return (lo + hi) / 2
	}
	return guess
}

// gaussianRow fills p with the normalised kernel exp(-beta·d) of the
// shifted squared distances d and returns its entropy in nats. The shift
// by the nearest distance cancels in the normalisation and keeps the
// largest term at 1, so the sum cannot underflow.
func gaussianRow(shifted []float64, beta float64, p []float64) float64 {
	sum, weighted := 0.0, 0.0
	for j, d := range shifted {
		p[j] = math.Exp(-beta * d)
		sum += p[j]
		weighted += d * p[j]
	}
	for j := range p {
		p[j] /= sum
	}
	return math.Log(sum) + beta*weighted/sum
}

// entry is one nonzero of P while it is assembled.
type entry struct {
	row, col int
	val      float64
}

// symmetrise returns P with p_ij = (p(j|i) + p(i|j)) / 2n from the
// conditional probabilities cond[i] over neighbours[i], so P sums to 1.
func symmetrise(neighbours [][]neighbour, cond [][]float64) *sparseP {
	n := len(neighbours)
	var entries []entry
	for i, row := range neighbours {
		for j, nb := range row {
			v := cond[i][j] / float64(2*n)
			entries = append(entries, entry{i, nb.index, v}, entry{nb.index, i, v})
		}
	}
	slices.SortFunc(entries, func(a, b entry) int {
		if a.row != b.row {
			return a.row - b.row
		}
		return a.col - b.col
	})

	p := &sparseP{start: make([]int, n+1)}
	for k, e := range entries {
		last := len(p.cols) - 1
		if k > 0 && entries[k-1].row == e.row && entries[k-1].col == e.col {
			p.vals[last] += e.val
			continue
		}
		p.cols = append(p.cols, e.col)
		p.vals = append(p.vals, e.val)
		p.start[e.row+1] = len(p.cols)
	}
	for i := 1; i <= n; i++ {
		p.start[i] = max(p.start[i], p.start[i-1])
	}
	return p
}
