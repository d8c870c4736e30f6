package nn

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Network is a stack of Dense layers applied in order.
type Network struct {
	Layers []*Dense
}

// NewMLP returns a network with len(widths)-1 layers mapping widths[0] to
// the last width. Hidden layers use ReLU and the last layer uses last.
func NewMLP(widths []int, last Activation, rng *rand.Rand) (*Network, error) {
	if len(widths) < 2 {
		return nil, fmt.Errorf("%w: got %d widths, want at least 2", ErrShape, len(widths))
	}
	net := &Network{}
	for i := 1; i < len(widths); i++ {
		if widths[i-1] < 1 || widths[i] < 1 {
			return nil, fmt.Errorf("%w: widths %v, want every width 1 or more", ErrShape, widths)
		}
		act := ReLU
		if i == len(widths)-1 {
			act = last
		}
		net.Layers = append(net.Layers, NewDense(widths[i-1], widths[i], act, rng))
	}
	return net, nil
}

// Forward returns the network's output for the batch x.
func (n *Network) Forward(x *mat.Dense) (*mat.Dense, error) {
	out := x
	for i, l := range n.Layers {
		var err error
		if out, err = l.Forward(out); err != nil {
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
	}
	return out, nil
}

// Backward propagates the output gradient of the last Forward call through
// every layer, accumulating parameter gradients, and returns the gradient
// with respect to the network's input.
func (n *Network) Backward(grad *mat.Dense) *mat.Dense {
	for i := len(n.Layers) - 1; i >= 0; i-- {
		grad = n.Layers[i].Backward(grad)
	}
	return grad
}

// ZeroGrad clears every layer's accumulated gradients.
func (n *Network) ZeroGrad() {
	for _, l := range n.Layers {
		l.ZeroGrad()
	}
}

// Params returns each parameter slice of the network with its gradient,
// in layer order, for an optimizer.
func (n *Network) Params() []Param {
	var ps []Param
	for _, l := range n.Layers {
		ps = append(ps, Param{Value: l.W.RawMatrix().Data, Grad: l.DW.RawMatrix().Data},
			Param{Value: l.B, Grad: l.DB})
	}
	return ps
}

// Predict runs Forward on rows and returns the output as rows.
func (n *Network) Predict(rows [][]float64) ([][]float64, error) {
	out, err := n.Forward(FromRows(rows))
	if err != nil {
		return nil, err
	}
	return ToRows(out), nil
}

// FromRows copies equal-length rows into a matrix with one row per sample.
// It panics on ragged rows or an empty slice.
func FromRows(rows [][]float64) *mat.Dense {
	m := mat.NewDense(len(rows), len(rows[0]), nil)
	for i, r := range rows {
		m.SetRow(i, r)
	}
	return m
}

// ToRows copies a matrix into a new slice of rows.
func ToRows(m *mat.Dense) [][]float64 {
	r, _ := m.Dims()
	rows := make([][]float64, r)
	for i := range rows {
		rows[i] = append([]float64(nil), m.RawRowView(i)...)
	}
	return rows
}
