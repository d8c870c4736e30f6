package reduce

import (
	"context"
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// Settings of TruncatedPCA's randomized subspace iteration.
const (
	// truncatedOversample is the number of extra directions the subspace
	// carries beyond the requested components, so that the last requested
	// component converges as fast as the first ones.
	truncatedOversample = 10

	// truncatedPowerIterations is the number of passes of the subspace
	// through AᵀA. Each pass raises the ratio between a kept and a dropped
	// singular value to a higher power, so four passes separate components
	// whose variances differ by 10 % to about 1.1^8 ≈ 2.1 times.
	truncatedPowerIterations = 4
)

// TruncatedPCA fits the leading dims principal components of the rows of x
// like PCA, but by randomized subspace iteration (Halko, Martinsson and
// Tropp, "Finding structure with randomness", SIAM Review 53(2), 2011)
// instead of a full singular value decomposition. Its cost grows with
// len(x)·len(x[0])·dims instead of len(x)·len(x[0])·min(len(x), len(x[0])),
// which makes it the choice for a few components of many wide rows.
//
// The components are approximations: they match PCA's where the variance
// along the dims-th component clearly exceeds the next one's, and within a
// group of nearly equal variances they may be any rotation of PCA's.
// ExplainedVarianceRatio divides by the exact total variance. The random
// start uses seed, so equal input and seed give equal output. ctx is
// checked between passes over the data.
func TruncatedPCA(ctx context.Context, x [][]float64, dims int, seed uint64) (
	*PCAModel, [][]float64, error) {
	cols, err := checkPCAInput(x, dims)
	if err != nil {
		return nil, nil, err
	}

	model := &PCAModel{Mean: columnMeans(x)}
	a := centre(x, model.Mean)
	q, err := rangeBasis(ctx, a, min(dims+truncatedOversample, len(x), cols), seed)
	if err != nil {
		return nil, nil, err
	}

	// The rows of B = QᵀA span the same leading directions as A's rows, so
	// the right singular vectors of the small matrix B are A's axes.
	var b mat.Dense
	b.Mul(q.T(), a)
	var svd mat.SVD
	if !svd.Factorize(&b, mat.SVDThinV) {
		return nil, nil, fmt.Errorf("reduce: SVD of the %d x %d projected data did not converge",
			q.RawMatrix().Cols, cols)
	}
	var v mat.Dense
	svd.VTo(&v)
	// The squared Frobenius norm of the centred data is its total sum of
	// squares, which the few singular values of B do not give.
	norm := mat.Norm(a, 2)
	model.fitComponents(&v, svd.Values(nil), len(x), dims, norm*norm)
	return model, model.Transform(x), nil
}

// rangeBasis returns an n x width matrix with orthonormal columns whose span
// approximates the span of a's leading left singular vectors.
func rangeBasis(ctx context.Context, a *mat.Dense, width int, seed uint64) (*mat.Dense, error) {
	rows, cols := a.Dims()
	rng := rand.New(rand.NewPCG(seed, 0x7ca))
	omega := mat.NewDense(cols, width, nil)
	for i := range cols {
		for j := range width {
			omega.Set(i, j, rng.NormFloat64())
		}
	}

	y := mat.NewDense(rows, width, nil)
	y.Mul(a, omega)
	q := orthonormalColumns(y)
	z := mat.NewDense(cols, width, nil)
	for range truncatedPowerIterations {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("reduce: truncated PCA stopped: %w", err)
		}
		z.Mul(a.T(), q)
		y.Mul(a, orthonormalColumns(z))
		q = orthonormalColumns(y)
	}
	return q, ctx.Err()
}

// dependentColumn is the fraction of a column's length below which what
// remains after removing the earlier columns is rounding error, so the
// column counts as dependent on them. Scaling that rest up to unit length
// would fill the basis with amplified noise and, for exactly low-rank data,
// with NaN.
const dependentColumn = 1e-10

// orthonormalColumns returns a matrix of m's shape whose columns are orthonormal
// and span m's columns, by modified Gram-Schmidt applied twice, which keeps
// them orthogonal to working precision. A column that depends on the ones
// before it becomes zero. The passes between calls would otherwise let the
// leading direction swamp the others in floating point.
func orthonormalColumns(m *mat.Dense) *mat.Dense {
	rows, cols := m.Dims()
	basis := make([][]float64, cols)
	for j := range cols {
		basis[j] = mat.Col(nil, j, m)
	}
	for range 2 {
		for j, v := range basis {
			before := floats.Norm(v, 2)
			for _, u := range basis[:j] {
				floats.AddScaled(v, -floats.Dot(u, v), u)
			}
			norm := floats.Norm(v, 2)
			if norm <= dependentColumn*before || norm == 0 {
				clear(v)
				continue
			}
			floats.Scale(1/norm, v)
		}
	}

	out := mat.NewDense(rows, cols, nil)
	for j, v := range basis {
		out.SetCol(j, v)
	}
	return out
}
