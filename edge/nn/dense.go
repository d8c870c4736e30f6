package nn

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// ErrShape reports a matrix whose shape does not match a layer or loss.
var ErrShape = errors.New("nn: shape mismatch")

// Activation is the element-wise function applied after a layer's affine map.
type Activation uint8

// The supported activations.
const (
	Linear Activation = iota // identity
	ReLU                     // max(0, x)
)

// String returns the activation's name.
func (a Activation) String() string {
	switch a {
	case Linear:
		return "linear"
	case ReLU:
		return "relu"
	}
	return fmt.Sprintf("Activation(%d)", uint8(a))
}

// Dense is a fully connected layer computing act(X·W + b) for a batch X of
// row vectors. W has In rows and Out columns.
type Dense struct {
	W   *mat.Dense
	B   []float64
	Act Activation

	// DW and DB accumulate the loss gradient with respect to W and B.
	DW *mat.Dense
	DB []float64

	input, pre *mat.Dense // cached by Forward for Backward
}

// NewDense returns a layer with He-uniform initial weights drawn from rng,
// scaled for ReLU, and zero biases.
func NewDense(in, out int, act Activation, rng *rand.Rand) *Dense {
	limit := math.Sqrt(6 / float64(in))
	w := make([]float64, in*out)
	for i := range w {
		w[i] = (2*rng.Float64() - 1) * limit
	}
	return &Dense{
		W: mat.NewDense(in, out, w), B: make([]float64, out), Act: act,
		DW: mat.NewDense(in, out, nil), DB: make([]float64, out),
	}
}

// In returns the input width.
func (d *Dense) In() int { r, _ := d.W.Dims(); return r }

// Out returns the output width.
func (d *Dense) Out() int { _, c := d.W.Dims(); return c }

// Forward returns the layer's output for the batch x and caches x and the
// pre-activation values for Backward.
func (d *Dense) Forward(x *mat.Dense) (*mat.Dense, error) {
	if _, c := x.Dims(); c != d.In() {
		return nil, fmt.Errorf("%w: input has %d columns, layer takes %d", ErrShape, c, d.In())
	}
	rows, _ := x.Dims()
	pre := mat.NewDense(rows, d.Out(), nil)
	pre.Mul(x, d.W)
	addBias(pre, d.B)
	d.input, d.pre = x, pre
	return activate(pre, d.Act), nil
}

// Backward takes the loss gradient with respect to the output of the last
// Forward call, adds the parameter gradients to DW and DB, and returns the
// gradient with respect to that call's input.
func (d *Dense) Backward(grad *mat.Dense) *mat.Dense {
	g := mat.DenseCopyOf(grad)
	if d.Act == ReLU {
		g.Apply(func(i, j int, v float64) float64 {
			if d.pre.At(i, j) <= 0 {
				return 0
			}
			return v
		}, g)
	}
	var dw mat.Dense
	dw.Mul(d.input.T(), g)
	d.DW.Add(d.DW, &dw)
	rows, cols := g.Dims()
	for i := range rows {
		for j := range cols {
			d.DB[j] += g.At(i, j)
		}
	}
	var dx mat.Dense
	dx.Mul(g, d.W.T())
	return &dx
}

// ZeroGrad clears DW and DB.
func (d *Dense) ZeroGrad() {
	d.DW.Zero()
	clear(d.DB)
}

func addBias(m *mat.Dense, b []float64) {
	rows, _ := m.Dims()
	for i := range rows {
		row := m.RawRowView(i)
		for j := range row {
			row[j] += b[j]
		}
	}
}

func activate(pre *mat.Dense, act Activation) *mat.Dense {
	out := mat.DenseCopyOf(pre)
	if act == ReLU {
		out.Apply(func(_, _ int, v float64) float64 { return math.Max(v, 0) }, out)
	}
	return out
}
