package nn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Param is one parameter slice and its gradient, of equal length.
type Param struct {
	Value, Grad []float64
}

// Default Adam hyperparameters, as proposed by Kingma and Ba (2015).
const (
	DefaultLearningRate = 1e-3
	DefaultBeta1        = 0.9
	DefaultBeta2        = 0.999
	DefaultEpsilon      = 1e-8
)

// Adam is the Adam optimizer with bias-corrected moment estimates. Zero
// fields take the Default values above. The moments are created on the
// first Step and tied to the order of the params passed to it.
type Adam struct {
	LearningRate, Beta1, Beta2, Epsilon float64

	m, v [][]float64
	t    int
}

// Step updates every param.Value from its gradient.
func (a *Adam) Step(params []Param) {
	lr := orDefault(a.LearningRate, DefaultLearningRate)
	b1, b2 := orDefault(a.Beta1, DefaultBeta1), orDefault(a.Beta2, DefaultBeta2)
	eps := orDefault(a.Epsilon, DefaultEpsilon)
	if a.m == nil {
		for _, p := range params {
			a.m = append(a.m, make([]float64, len(p.Value)))
			a.v = append(a.v, make([]float64, len(p.Value)))
		}
	}
	a.t++
	c1 := 1 - math.Pow(b1, float64(a.t))
	c2 := 1 - math.Pow(b2, float64(a.t))
	for k, p := range params {
		m, v := a.m[k], a.v[k]
		for i, g := range p.Grad {
			m[i] = b1*m[i] + (1-b1)*g
			v[i] = b2*v[i] + (1-b2)*g*g
			p.Value[i] -= lr * (m[i] / c1) / (math.Sqrt(v[i]/c2) + eps)
		}
	}
}

func orDefault(v, fallback float64) float64 {
	if v == 0 {
		return fallback
	}
	return v
}

// MSE returns the mean over all elements of (pred - target)² and its
// gradient with respect to pred.
func MSE(pred, target *mat.Dense) (float64, *mat.Dense, error) {
	pr, pc := pred.Dims()
	tr, tc := target.Dims()
	if pr != tr || pc != tc {
		return 0, nil, fmt.Errorf("%w: prediction is %d×%d, target is %d×%d",
			ErrShape, pr, pc, tr, tc)
	}
	var diff mat.Dense
	diff.Sub(pred, target)
	n := float64(pr * pc)
	loss := mat.Norm(&diff, 2) // Frobenius norm for a matrix
	diff.Scale(2/n, &diff)
	return loss * loss / n, &diff, nil
}

// Batches returns the indices 0..n-1 shuffled by rng and cut into batches
// of size elements. The last batch is shorter when size does not divide n.
func Batches(n, size int, rng *rand.Rand) [][]int {
	size = max(size, 1)
	order := rng.Perm(n)
	var out [][]int
	for start := 0; start < n; start += size {
		out = append(out, order[start:min(start+size, n)])
	}
	return out
}

// Gather returns the rows of x listed in idx as a new matrix.
func Gather(x *mat.Dense, idx []int) *mat.Dense {
	_, c := x.Dims()
	out := mat.NewDense(len(idx), c, nil)
	for i, k := range idx {
		copy(out.RawRowView(i), x.RawRowView(k))
	}
	return out
}
