package reduce

import "math"

// gradient computes the t-SNE gradient of an embedding stored row-major
// in y with dims columns:
//
//	dC/dy_i = 4 Σ_j (p_ij - q_ij) q_ij Z (y_i - y_j)
//
// where q_ij Z = 1/(1+|y_i-y_j|²) and Z is the sum of q_ij Z over all
// pairs i != j. The attractive part runs over the nonzeros of P; the
// repulsive part comes from a space-partitioning tree with accuracy theta,
// or from all pairs when exact is set.
type gradient struct {
	p       *sparseP
	dims    int
	theta   float64
	exact   bool
	workers int

	repulse []float64 // unnormalised repulsive force per coordinate
	sumQ    []float64 // point i's share of Z
}

func newGradient(p *sparseP, n int, cfg tsneConfig) *gradient {
	return &gradient{
		p: p, dims: cfg.Dims, theta: cfg.Theta, exact: cfg.Exact, workers: cfg.Workers,
		repulse: make([]float64, n*cfg.Dims),
		sumQ:    make([]float64, n),
	}
}

// compute writes the gradient with P multiplied by exaggeration into grad
// and returns Z.
func (g *gradient) compute(y []float64, exaggeration float64, grad []float64) float64 {
	z := g.repulsion(y)
	parallelFor(g.workers, len(g.sumQ), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			g.attract(y, i, exaggeration, grad[i*g.dims:(i+1)*g.dims])
			for d := 0; d < g.dims; d++ {
				grad[i*g.dims+d] = 4 * (grad[i*g.dims+d] - g.repulse[i*g.dims+d]/z)
			}
		}
	})
	return z
}

// attract writes the attractive force on point i, the sum over its
// nonzeros of exaggeration·p_ij·q_ij Z·(y_i - y_j), into out.
func (g *gradient) attract(y []float64, i int, exaggeration float64, out []float64) {
	clear(out)
	yi := y[i*g.dims : (i+1)*g.dims]
	for k := g.p.start[i]; k < g.p.start[i+1]; k++ {
		yj := y[g.p.cols[k]*g.dims : (g.p.cols[k]+1)*g.dims]
		var diff [3]float64
		dist2 := 0.0
		for d, v := range yi {
			diff[d] = v - yj[d]
			dist2 += diff[d] * diff[d]
		}
		m := exaggeration * g.p.vals[k] / (1 + dist2)
		for d := range out {
			out[d] += m * diff[d]
		}
	}
}

// repulsion fills g.repulse and g.sumQ and returns Z. Z is summed in point
// order after the parallel part, so it does not depend on the workers.
func (g *gradient) repulsion(y []float64) float64 {
	clear(g.repulse)
	var tree *spTree
	if !g.exact {
		tree = newSPTree(y, g.dims)
	}
	theta2 := g.theta * g.theta
	parallelFor(g.workers, len(g.sumQ), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			force := g.repulse[i*g.dims : (i+1)*g.dims]
			if tree != nil {
				g.sumQ[i] = tree.repulsion(0, i, theta2, force)
			} else {
				g.sumQ[i] = pairRepulsion(y, g.dims, i, force)
			}
		}
	})
	z := 0.0
	for _, s := range g.sumQ {
		z += s
	}
	return z
}

// pairRepulsion is spTree.repulsion over all other points, without a tree.
func pairRepulsion(y []float64, dims, i int, force []float64) float64 {
	yi := y[i*dims : (i+1)*dims]
	sumQ := 0.0
	for j := 0; j < len(y)/dims; j++ {
		if j == i {
			continue
		}
		sumQ += repelPair(yi, y[j*dims:(j+1)*dims], force)
	}
	return sumQ
}

// sparseKL returns KL(P || Q) = Σ p_ij log(p_ij / q_ij) over the nonzeros
// of P, with q_ij = 1/((1+|y_i-y_j|²) Z).
func sparseKL(p *sparseP, y []float64, dims int, z float64) float64 {
	kl := 0.0
	for i := 0; i+1 < len(p.start); i++ {
		for k := p.start[i]; k < p.start[i+1]; k++ {
			j := p.cols[k]
			dist2 := 0.0
			for d := 0; d < dims; d++ {
				diff := y[i*dims+d] - y[j*dims+d]
				dist2 += diff * diff
			}
			if p.vals[k] > 0 {
				q := 1 / ((1 + dist2) * z)
				kl += p.vals[k] * math.Log(p.vals[k]/q)
			}
		}
	}
	return kl
}
