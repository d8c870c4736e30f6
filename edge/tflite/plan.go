package tflite

import "slices"

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
// operator a float32 buffer. A buffer returns to a free pool after its last
// reader runs, so later tensors reuse it, but graph inputs and requested
// outputs keep their own buffers.
func (in *Interpreter) allocate(order []int) error {
	m := in.model
	pinned := make([]bool, len(m.Tensors))
	for _, t := range in.outputs {
		pinned[t] = true
	}
	for _, t := range m.Inputs {
		pinned[t] = true
		if m.Tensors[t].Type == Float32 {
			in.values[t] = make([]float32, mustElements(m.Tensors[t].Shape))
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

	// NOTE: the only size limit is maxElements per tensor, so a hostile
	// model can request gigabytes here. Callers that load untrusted models
	// should check tensor shapes first.
	var pool bufferPool
	for pos, i := range order {
		if err := in.allocateOutputs(i, &pool); err != nil {
			return err
		}
		in.releaseInputs(i, pos, lastUse, pinned, &pool)
	}
	return nil
}

func (in *Interpreter) allocateOutputs(i int, pool *bufferPool) error {
	op := &in.model.Operators[i]
	for _, t := range op.Outputs {
		info := &in.model.Tensors[t]
		if info.Type != Float32 {
			return &UnsupportedError{Op: op.Name(), OpIndex: i, Tensor: t,
				Detail: "output type " + info.Type.String() + ", only FLOAT32 is supported"}
		}
		in.values[t] = pool.get(mustElements(info.Shape))
	}
	return nil
}

// releaseInputs returns to the pool the buffers of operator i's inputs
// whose last reader is at plan position pos, and of its outputs that no
// planned operator reads.
func (in *Interpreter) releaseInputs(i, pos int, lastUse []int, pinned []bool,
	pool *bufferPool) {
	m := in.model
	op := &m.Operators[i]
	release := func(t int) {
		pool.put(in.values[t])
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

// bufferPool hands out float32 buffers, reusing released ones.
type bufferPool struct {
	free [][]float32
}

// get returns a buffer of length n, preferring the smallest free buffer
// whose capacity is large enough.
func (p *bufferPool) get(n int) []float32 {
	best := -1
	for i, b := range p.free {
		if cap(b) >= n && (best < 0 || cap(b) < cap(p.free[best])) {
			best = i
		}
	}
	if best < 0 {
		return make([]float32, n)
	}
	b := p.free[best]
	p.free = slices.Delete(p.free, best, best+1)
	return b[:n]
}

func (p *bufferPool) put(b []float32) {
	p.free = append(p.free, b)
}
