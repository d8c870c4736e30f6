package modeltools

import (
	"github.com/edgecluster/edgecluster/edge/tflite"
)

// graph indexes which operator writes and which operators read each tensor.
type graph struct {
	model     *tflite.Model
	producer  []int   // producer[t] is the operator writing tensor t, or -1
	consumers [][]int // consumers[t] lists the operators reading tensor t
}

func newGraph(m *tflite.Model) *graph {
	g := &graph{model: m, producer: make([]int, len(m.Tensors)),
		consumers: make([][]int, len(m.Tensors))}
	for t := range g.producer {
		g.producer[t] = -1
	}
	for i, op := range m.Operators {
		for _, t := range op.Outputs {
			g.producer[t] = i
		}
		for _, t := range op.Inputs {
			if t >= 0 {
				g.consumers[t] = append(g.consumers[t], i)
			}
		}
	}
	return g
}

// isConstant reports whether tensor t has data in the file.
func (g *graph) isConstant(t int) bool {
	b := g.model.Tensors[t].Buffer
	return b > 0 && b < len(g.model.Buffers) && len(g.model.Buffers[b]) > 0
}

// isActivation reports whether tensor t is computed at run time: written by
// an operator other than a DEQUANTIZE of a constant, or a graph input.
func (g *graph) isActivation(t int) bool {
	p := g.producer[t]
	if p < 0 {
		return !g.isConstant(t)
	}
	op := &g.model.Operators[p]
	if op.Code != tflite.OpDequantize {
		return true
	}
	in := op.Inputs[0]
	return in < 0 || !g.isConstant(in)
}
