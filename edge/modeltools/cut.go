package modeltools

import (
	"errors"
	"fmt"
	"slices"

	"github.com/edgecluster/edgecluster/edge/tflite"
)

// ErrNotComputable is wrapped by Cut errors about a requested tensor that
// the graph cannot compute from its inputs and constants.
var ErrNotComputable = errors.New("modeltools: tensor cannot be computed")

// Cut returns a model whose graph outputs are the tensors outputs of m and
// which keeps only what computing them needs: the operators they depend on,
// in their original order, the tensors and constant buffers those operators
// use, and the graph inputs they read. Indices are renumbered densely in
// their original order, and every tensor without constant data uses the
// empty buffer 0. The result shares buffer bytes with m.
func Cut(m *tflite.Model, outputs []int) (*tflite.Model, error) {
	if len(outputs) == 0 {
		return nil, fmt.Errorf("%w: no output tensors given", ErrNotComputable)
	}
	for _, t := range outputs {
		if t < 0 || t >= len(m.Tensors) {
			return nil, fmt.Errorf("%w: tensor %d out of range [0, %d)",
				ErrNotComputable, t, len(m.Tensors))
		}
	}
	g := newGraph(m)
	ops, used, err := g.liveOps(outputs)
	if err != nil {
		return nil, err
	}
	return g.rebuild(ops, used, outputs), nil
}

// liveOps walks back from outputs and returns the operators they need, in
// graph order, and the tensors those operators and outputs use.
func (g *graph) liveOps(outputs []int) (ops []int, used []bool, err error) {
	m := g.model
	isInput := make([]bool, len(m.Tensors))
	for _, t := range m.Inputs {
		isInput[t] = true
	}
	used = make([]bool, len(m.Tensors))
	needed := make([]bool, len(m.Operators))

	stack := slices.Clone(outputs)
	for len(stack) > 0 {
		t := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if used[t] {
			continue
		}
		used[t] = true

		p := g.producer[t]
		if p < 0 {
			if !isInput[t] && !g.isConstant(t) {
				return nil, nil, fmt.Errorf("%w: tensor %d (%s) has no data, no producer "+
					"and is not a graph input", ErrNotComputable, t, m.Tensors[t].Name)
			}
			continue
		}
		needed[p] = true
		for _, in := range m.Operators[p].Inputs {
			if in >= 0 {
				stack = append(stack, in)
			}
		}
		// Other outputs of a needed operator stay, because it writes them.
		for _, out := range m.Operators[p].Outputs {
			used[out] = true
		}
	}

	for i, ok := range needed {
		if ok {
			ops = append(ops, i)
		}
	}
	return ops, used, nil
}

// rebuild copies the used tensors, their buffers and the operators ops of
// the model into a new model with renumbered indices.
func (g *graph) rebuild(ops []int, used []bool, outputs []int) *tflite.Model {
	m := g.model
	out := &tflite.Model{Name: m.Name, Version: m.Version, Description: m.Description,
		Buffers: [][]byte{nil}}

	tensorIndex := make([]int, len(m.Tensors))
	bufferIndex := map[int]int{}
	for t := range m.Tensors {
		tensorIndex[t] = -1
		if !used[t] {
			continue
		}
		info := m.TensorInfo(t)
		info.Buffer = 0
		if g.isConstant(t) {
			info.Buffer = g.keepBuffer(out, bufferIndex, m.Tensors[t].Buffer)
		}
		tensorIndex[t] = len(out.Tensors)
		out.Tensors = append(out.Tensors, info)
	}

	for _, i := range ops {
		op := m.Operators[i]
		op.Inputs = remap(op.Inputs, tensorIndex)
		op.Outputs = remap(op.Outputs, tensorIndex)
		out.Operators = append(out.Operators, op)
	}
	for _, t := range m.Inputs {
		if used[t] {
			out.Inputs = append(out.Inputs, tensorIndex[t])
		}
	}
	out.Outputs = remap(outputs, tensorIndex)
	return out
}

// keepBuffer returns the new index of old buffer b, appending it to out
// the first time a tensor uses it.
func (g *graph) keepBuffer(out *tflite.Model, index map[int]int, b int) int {
	if k, ok := index[b]; ok {
		return k
	}
	index[b] = len(out.Buffers)
	out.Buffers = append(out.Buffers, g.model.Buffers[b])
	return index[b]
}

// remap returns indices with each tensor index replaced by its new index,
// keeping -1 for omitted optional inputs.
func remap(indices, newIndex []int) []int {
	out := make([]int, len(indices))
	for i, t := range indices {
		out[i] = -1
		if t >= 0 {
			out[i] = newIndex[t]
		}
	}
	return out
}
