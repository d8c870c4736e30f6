package reduce

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// PCAModel is a fitted principal component analysis.
type PCAModel struct {
	// Mean is the per-column mean that Transform subtracts.
	Mean []float64

	// Components holds one unit-length principal axis per output
	// dimension, in order of decreasing variance. The loading of largest
	// magnitude in each axis is positive.
	Components [][]float64

	// ExplainedVariance is the variance along each component, with the
	// n-1 denominator that scikit-learn's PCA also uses.
	ExplainedVariance []float64

	// ExplainedVarianceRatio is ExplainedVariance divided by the total
	// variance of the data.
	ExplainedVarianceRatio []float64
}

// PCA fits a principal component analysis with dims components to the rows
// of x and returns the model and the rows projected onto the components.
// dims must lie in [1, min(len(x), len(x[0]))].
func PCA(x [][]float64, dims int) (*PCAModel, [][]float64, error) {
	cols, err := checkPCAInput(x, dims)
	if err != nil {
		return nil, nil, err
	}

	model := &PCAModel{Mean: columnMeans(x)}
	centred := centre(x, model.Mean)
	var svd mat.SVD
	if !svd.Factorize(centred, mat.SVDThinV) {
		return nil, nil, fmt.Errorf("reduce: SVD of the %d x %d data did not converge",
			len(x), cols)
	}
	var v mat.Dense
	svd.VTo(&v)
	values := svd.Values(nil)
	sumSquares := 0.0
	for _, value := range values {
		sumSquares += value * value
	}
	model.fitComponents(&v, values, len(x), dims, sumSquares)
	return model, model.Transform(x), nil
}

// checkPCAInput returns the row length of x, or an error for malformed rows
// or a number of components outside [1, min(len(x), len(x[0]))].
func checkPCAInput(x [][]float64, dims int) (int, error) {
	cols, err := checkRows(x)
	if err != nil {
		return 0, err
	}
	if limit := min(len(x), cols); dims < 1 || dims > limit {
		return 0, fmt.Errorf("%w: %d PCA components for %d rows of %d columns; "+
			"choose 1 to %d", ErrUnsupported, dims, len(x), cols, limit)
	}
	return cols, nil
}

// fitComponents fills the components and variances from the right singular
// vectors v and the singular values of the centred data of rows rows, with
// the variance ratios taken against its total sum of squares.
func (m *PCAModel) fitComponents(v *mat.Dense, values []float64, rows, dims int,
	sumSquares float64) {
	denominator := float64(max(rows-1, 1))
	total := sumSquares / denominator

	cols, _ := v.Dims()
	for c := 0; c < dims; c++ {
		axis := mat.Col(nil, c, v)
		orient(axis)
		m.Components = append(m.Components, axis[:cols])
		variance := values[c] * values[c] / denominator
		m.ExplainedVariance = append(m.ExplainedVariance, variance)
		ratio := 0.0
		if total > 0 && !math.IsInf(total, 0) {
			ratio = variance / total
		}
		m.ExplainedVarianceRatio = append(m.ExplainedVarianceRatio, ratio)
	}
}

// orient flips axis so that its entry of largest magnitude is positive.
// Ties go to the lowest index.
func orient(axis []float64) {
	best := 0
	for j, a := range axis {
		if math.Abs(a) > math.Abs(axis[best]) {
			best = j
		}
	}
	if axis[best] >= 0 {
		return
	}
	for j := range axis {
		axis[j] = -axis[j]
	}
}

// Transform projects rows of the fitted width onto the components. It
// panics when a row's length differs from len(m.Mean).
func (m *PCAModel) Transform(x [][]float64) [][]float64 {
	out := make([][]float64, len(x))
	for i, row := range x {
		if len(row) != len(m.Mean) {
			panic(fmt.Sprintf("reduce: Transform row %d has %d values, want %d",
				i, len(row), len(m.Mean)))
		}
		out[i] = make([]float64, len(m.Components))
		for c, axis := range m.Components {
			s := 0.0
			for j, v := range row {
				s += (v - m.Mean[j]) * axis[j]
			}
			out[i][c] = s
		}
	}
	return out
}

func columnMeans(x [][]float64) []float64 {
	mean := make([]float64, len(x[0]))
	for _, row := range x {
		for j, v := range row {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(len(x))
	}
	return mean
}

func centre(x [][]float64, mean []float64) *mat.Dense {
	d := mat.NewDense(len(x), len(mean), nil)
	for i, row := range x {
		for j, v := range row {
			d.Set(i, j, v-mean[j])
		}
	}
	return d
}
