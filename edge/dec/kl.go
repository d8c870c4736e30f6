package dec

import "math"

// softAssign returns the Student-t soft assignment of each code to each
// centroid, q_ij ∝ (1 + |z_i − μ_j|²/α)^(−(α+1)/2), with rows summing to 1,
// and the kernel values k_ij = (1 + |z_i − μ_j|²/α)^(−1) that the gradient
// needs.
func softAssign(codes, centroids [][]float64, alpha float64) (q, kernel [][]float64) {
	q = make([][]float64, len(codes))
	kernel = make([][]float64, len(codes))
	for i, z := range codes {
		q[i] = make([]float64, len(centroids))
		kernel[i] = make([]float64, len(centroids))
		var sum float64
		for j, mu := range centroids {
			k := 1 / (1 + sqDist(z, mu)/alpha)
			kernel[i][j] = k
			q[i][j] = math.Pow(k, (alpha+1)/2)
			sum += q[i][j]
		}
		for j := range q[i] {
			q[i][j] /= sum
		}
	}
	return q, kernel
}

// targetDistribution returns p_ij ∝ q_ij² / f_j with f_j = Σ_i q_ij, rows
// summing to 1. Squaring sharpens confident assignments and dividing by the
// cluster frequency keeps large clusters from absorbing the others.
func targetDistribution(q [][]float64) [][]float64 {
	freq := make([]float64, len(q[0]))
	for _, row := range q {
		for j, v := range row {
			freq[j] += v
		}
	}
	p := make([][]float64, len(q))
	for i, row := range q {
		p[i] = make([]float64, len(row))
		var sum float64
		for j, v := range row {
			p[i][j] = v * v / freq[j]
			sum += p[i][j]
		}
		for j := range p[i] {
			p[i][j] /= sum
		}
	}
	return p
}

// klDivergence returns the mean over rows of KL(p_i ‖ q_i).
func klDivergence(p, q [][]float64) float64 {
	var sum float64
	for i := range p {
		for j, pv := range p[i] {
			if pv > 0 {
				sum += pv * math.Log(pv/q[i][j])
			}
		}
	}
	return sum / float64(len(p))
}

// klGradients returns the gradients of klDivergence(p, q) with respect to
// each code and each centroid, for q from softAssign(codes, centroids, alpha).
func klGradients(codes, centroids, p, q, kernel [][]float64, alpha float64) (
	dCodes, dCentroids [][]float64) {
	scale := (alpha + 1) / alpha / float64(len(codes))
	dCodes = zeros(len(codes), len(codes[0]))
	dCentroids = zeros(len(centroids), len(centroids[0]))
	for i, z := range codes {
		for j, mu := range centroids {
			c := scale * kernel[i][j] * (p[i][j] - q[i][j])
			for d := range z {
				g := c * (z[d] - mu[d])
				dCodes[i][d] += g
				dCentroids[j][d] -= g
			}
		}
	}
	return dCodes, dCentroids
}

func zeros(rows, cols int) [][]float64 {
	out := make([][]float64, rows)
	for i := range out {
		out[i] = make([]float64, cols)
	}
	return out
}

func sqDist(a, b []float64) float64 {
	var s float64
	for i := range a {
		d := a[i] - b[i]
		s += d * d
	}
	return s
}

func argmax(row []float64) int {
	best := 0
	for j, v := range row {
		if v > row[best] {
			best = j
		}
	}
	return best
}
