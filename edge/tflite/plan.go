package tflite

import (
	"errors"
	"fmt"
	"slices"
)

// hasValue reports whether tensor t is known before Invoke: a constant or
// the output of a foldable DEQUANTIZE.
func (m *Model) hasValue(t int) bool {
	if m.isConstant(t) {
		return true
	}
	p := m.producer[t]
	return p >= 0 && m.isFoldable(&m.Operators[p])
}

// plan returns the indices, in execution order, of the operators needed to
// compute outputs. Foldable DEQUANTIZE operators are left out, because
// their outputs are computed once from constants.
func (m *Model) plan(outputs []int) ([]int, error) {
	isInput := make([]bool, len(m.Tensors))
	for _, t := range m.Inputs {
		isInput[t] = true
	}
	needed := make([]bool, len(m.Operators))
	visited := make([]bool, len(m.Tensors))

	stack := slices.Clone(outputs)
	for len(stack) > 0 {
		t := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if visited[t] || isInput[t] || m.hasValue(t) {
			visited[t] = true
			continue
		}
		visited[t] = true

		p := m.producer[t]
		if p < 0 {
			return nil, malformedf("tensor %d (%s) has no data and no producer and is not a graph input",
				t, m.Tensors[t].Name)
		}
		needed[p] = true
		for _, in := range m.Operators[p].Inputs {
			if in >= 0 {
				stack = append(stack, in)
			}
		}
	}

	var order []int
	for i, ok := range needed {
		if ok {
			order = append(order, i)
		}
	}
	return order, nil
}

// allocate gives every graph input and every tensor written by a planned
// operator a buffer of its type. A buffer returns to a free pool after its
// last reader runs, so later tensors reuse it, but graph inputs and requested
// outputs keep their own buffers. It fails with ErrTooLarge when the buffers
// would exceed limit bytes.
func (in *Interpreter) allocate(order []int, limit int64) error {
	m := in.model
	pools := &bufferPools{limit: limit}
	pinned := make([]bool, len(m.Tensors))
	for _, t := range in.outputs {
		pinned[t] = true
	}
	for _, t := range m.Inputs {
		pinned[t] = true
		if err := in.allocateTensor(t, pools); err != nil && !errors.Is(err, ErrUnsupported) {
			return err
		}
	}

	lastUse := make([]int, len(m.Tensors))
	for t := range lastUse {
		lastUse[t] = -1
	}
	for pos, i := range order {
		for _, t := range m.Operators[i].Inputs {
			if t >= 0 {
				lastUse[t] = pos
			}
		}
	}

	for pos, i := range order {
		if err := in.allocateOutputs(i, pools); err != nil {
			return err
		}
		in.releaseInputs(i, pos, lastUse, pinned, pools)
	}
	err := in.allocateDequantized(pools)
	in.allocated = pools.allocated
	return err
}

func (in *Interpreter) allocateOutputs(i int, pools *bufferPools) error {
	op := &in.model.Operators[i]
	for _, t := range op.Outputs {
		err := in.allocateTensor(t, pools)
		var ue *UnsupportedError
		if errors.As(err, &ue) {
			ue.Op, ue.OpIndex = op.Name(), i
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// allocateTensor gives tensor t a FLOAT32 or quantized buffer.
func (in *Interpreter) allocateTensor(t int, pools *bufferPools) error {
	info := &in.model.Tensors[t]
	n := mustElements(info.Shape)
	var err error
	switch info.Type {
	case Float32:
		in.values[t], err = getBuffer(&pools.floats, pools, n, 4)
	case Int8, Uint8:
		in.qvalues[t], err = getBuffer(&pools.ints, pools, n, 1)
	default:
		return &UnsupportedError{Op: "graph input", OpIndex: -1, Tensor: t, Detail: "tensor type " +
			info.Type.String() + ", only FLOAT32, INT8 and UINT8 are supported"}
	}
	if err != nil {
		return fmt.Errorf("tensor %d (%s) %v: %w", t, info.Name, info.Shape, err)
	}
	return nil
}

// allocateDequantized gives each quantized requested output a float32
// buffer for Output.
func (in *Interpreter) allocateDequantized(pools *bufferPools) error {
	in.dequantized = make([][]float32, len(in.outputs))
	for i, t := range in.outputs {
		if in.qvalues[t] == nil {
			continue
		}
		buf, err := getBuffer(&[][]float32{}, pools, len(in.qvalues[t]), 4)
		if err != nil {
			return err
		}
		in.dequantized[i] = buf
	}
	return nil
}

// releaseInputs returns to the pool the buffers of operator i's inputs
// whose last reader is at plan position pos, and of its outputs that no
// planned operator reads.
func (in *Interpreter) releaseInputs(i, pos int, lastUse []int, pinned []bool,
	pools *bufferPools) {
	m := in.model
	op := &m.Operators[i]
	release := func(t int) {
		if in.values[t] != nil {
			pools.floats = append(pools.floats, in.values[t])
		}
		if in.qvalues[t] != nil {
			pools.ints = append(pools.ints, in.qvalues[t])
		}
		pinned[t] = true // a tensor listed twice is released once
	}
	for _, t := range op.Inputs {
		if t >= 0 && !pinned[t] && !m.hasValue(t) && lastUse[t] == pos {
			release(t)
		}
	}
	for _, t := range op.Outputs {
		if !pinned[t] && lastUse[t] < 0 {
			release(t)
		}
	}
}

// mustElements returns the element count of a shape that validate accepted.
func mustElements(shape []int) int {
	n, _ := numElements(shape)
	return n
}

// bufferPools holds the released buffers of each element type and counts
// the bytes allocated so far against a limit.
type bufferPools struct {
	floats    [][]float32
	ints      [][]int8
	allocated int64
	limit     int64
}

// getBuffer returns a buffer of length n from free, preferring the smallest
// free buffer whose capacity is large enough, or allocates one of n elements
// of elemSize bytes within the pools' limit.
func getBuffer[T any](free *[][]T, pools *bufferPools, n, elemSize int) ([]T, error) {
	best := -1
	for i, b := range *free {
		if cap(b) >= n && (best < 0 || cap(b) < cap((*free)[best])) {
			best = i
		}
	}
	if best >= 0 {
		b := (*free)[best]
		*free = slices.Delete(*free, best, best+1)
		return b[:n], nil
	}

	size := int64(n) * int64(elemSize)
	if pools.allocated+size > pools.limit {
		return nil, fmt.Errorf("%w: activation buffers need more than %d bytes; "+
			"raise Options.MaxMemory if the model is trusted", ErrTooLarge, pools.limit)
	}
	pools.allocated += size
	return make([]T, n), nil
}
