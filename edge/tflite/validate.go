package tflite

// maxElements bounds the element count of one tensor so that byte sizes fit
// in an int on 32-bit boards.
const maxElements = 1 << 28

// validate checks the graph's references and constant buffer sizes and
// records which operator produces each tensor.
func (m *Model) validate() error {
	for i := range m.Tensors {
		if err := m.validateTensor(i); err != nil {
			return err
		}
	}
	if err := m.checkIndices("graph input", m.Inputs); err != nil {
		return err
	}
	if err := m.checkIndices("graph output", m.Outputs); err != nil {
		return err
	}
	return m.linkProducers()
}

// numElements returns the product of shape, or an error for negative
// dimensions and products above maxElements.
func numElements(shape []int) (int, error) {
	n := 1
	for _, d := range shape {
		if d < 0 {
			return 0, malformedf("negative dimension in shape %v", shape)
		}
		if d > 0 && n > maxElements/d {
			return 0, malformedf("shape %v has more than %d elements", shape, maxElements)
		}
		n *= d
	}
	return n, nil
}

func (m *Model) validateTensor(i int) error {
	t := &m.Tensors[i]
	n, err := numElements(t.Shape)
	if err != nil {
		return malformedf("tensor %d (%s): %v", i, t.Name, err.(*FormatError).Detail)
	}
	if t.Buffer < 0 || t.Buffer >= len(m.Buffers) {
		return malformedf("tensor %d (%s) has buffer index %d, but there are %d buffers",
			i, t.Name, t.Buffer, len(m.Buffers))
	}

	data := m.tensorData(i)
	size := t.Type.byteSize()
	if len(data) > 0 && size > 0 && len(data) != n*size {
		return malformedf("tensor %d (%s): buffer has %d bytes, shape %v of %s needs %d",
			i, t.Name, len(data), t.Shape, t.Type, n*size)
	}
	return nil
}

func (m *Model) checkIndices(what string, indices []int) error {
	for _, t := range indices {
		if t < 0 || t >= len(m.Tensors) {
			return malformedf("%s tensor index %d out of range [0, %d)", what, t, len(m.Tensors))
		}
	}
	return nil
}

// linkProducers fills m.producer and checks that each tensor is written by
// at most one operator, that no operator writes a constant, and that every
// operator reads only tensors that no operator writes, or that earlier
// operators write.
func (m *Model) linkProducers() error {
	m.producer = make([]int, len(m.Tensors))
	for i := range m.producer {
		m.producer[i] = -1
	}
	for i := range m.Operators {
		if err := m.linkOutputs(i); err != nil {
			return err
		}
	}
	for i := range m.Operators {
		if err := m.checkInputs(i); err != nil {
			return err
		}
	}
	return nil
}

func (m *Model) linkOutputs(i int) error {
	op := &m.Operators[i]
	for _, t := range op.Outputs {
		if t < 0 || t >= len(m.Tensors) {
			return malformedf("op %d (%s): output tensor index %d out of range [0, %d)",
				i, op.Name(), t, len(m.Tensors))
		}
		if m.producer[t] >= 0 {
			return malformedf("tensor %d is written by both op %d and op %d", t, m.producer[t], i)
		}
		if len(m.tensorData(t)) > 0 {
			return malformedf("op %d (%s) writes constant tensor %d", i, op.Name(), t)
		}
		m.producer[t] = i
	}
	return nil
}

func (m *Model) checkInputs(i int) error {
	op := &m.Operators[i]
	for _, t := range op.Inputs {
		if t == -1 {
			continue
		}
		if t < 0 || t >= len(m.Tensors) {
			return malformedf("op %d (%s): input tensor index %d out of range [0, %d)",
				i, op.Name(), t, len(m.Tensors))
		}
		if m.producer[t] >= i {
			return malformedf("op %d (%s) reads tensor %d, which op %d writes later",
				i, op.Name(), t, m.producer[t])
		}
	}
	return nil
}
