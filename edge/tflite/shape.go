package tflite

import "slices"

// copyKernel copies its input to its output. RESHAPE uses it, because the
// row-major data does not change.
type copyKernel struct {
	input, output []float32
}

func (k *copyKernel) run() { copy(k.output, k.input) }

// buildReshape takes the output shape from the output tensor. The optional
// second input or the options may repeat it, but only the element count has
// to agree.
func buildReshape(c *opContext) (kernel, error) {
	if err := c.checkInputs(1, 2); err != nil {
		return nil, err
	}
	input, err := c.floats(c.input(0))
	if err != nil {
		return nil, err
	}
	output, shape := c.output()
	if len(input) != len(output) {
		return nil, c.malformed("input %v has %d elements, output %v has %d",
			c.shape(c.input(0)), len(input), shape, len(output))
	}
	return &copyKernel{input: input, output: output}, nil
}

// concatKernel computes CONCATENATION along one axis: for each index of the
// dimensions before the axis, it copies one contiguous chunk per input.
type concatKernel struct {
	inputs [][]float32
	chunks []int // chunks[i] is input i's contiguous length per outer index
	outer  int
	output []float32
	lo, hi float32
}

func buildConcatenation(c *opContext) (kernel, error) {
	opts, ok := c.op.Options.(*ConcatenationOptions)
	if !ok {
		return nil, c.malformed("missing ConcatenationOptions")
	}
	if len(c.op.Inputs) == 0 {
		return nil, c.malformed("has no inputs")
	}
	output, outShape := c.output()
	axis := opts.Axis
	if axis < 0 {
		axis += len(outShape)
	}
	if axis < 0 || axis >= len(outShape) {
		return nil, c.malformed("axis %d out of range for output %v", opts.Axis, outShape)
	}

	k := &concatKernel{output: output, outer: mustElements(outShape[:axis])}
	inner := mustElements(outShape[axis+1:])
	if err := k.bindInputs(c, outShape, axis, inner); err != nil {
		return nil, err
	}
	var err error
	k.lo, k.hi, err = c.activationRange(opts.Activation)
	return k, err
}

func (k *concatKernel) bindInputs(c *opContext, outShape []int, axis, inner int) error {
	total := 0
	for i := range c.op.Inputs {
		data, err := c.floats(c.input(i))
		if err != nil {
			return err
		}
		shape := c.shape(c.input(i))
		if !sameExceptAxis(shape, outShape, axis) {
			return c.malformed("input %d shape %v does not fit output %v on axis %d",
				i, shape, outShape, axis)
		}
		k.inputs = append(k.inputs, data)
		k.chunks = append(k.chunks, shape[axis]*inner)
		total += shape[axis]
	}
	if total != outShape[axis] {
		return c.malformed("inputs sum to %d on axis %d, output has %d", total, axis, outShape[axis])
	}
	return nil
}

func sameExceptAxis(a, b []int, axis int) bool {
	if len(a) != len(b) {
		return false
	}
	return slices.Equal(a[:axis], b[:axis]) && slices.Equal(a[axis+1:], b[axis+1:])
}

func (k *concatKernel) run() {
	pos := 0
	for o := range k.outer {
		for i, in := range k.inputs {
			n := k.chunks[i]
			copy(k.output[pos:pos+n], in[o*n:(o+1)*n])
			pos += n
		}
	}
	if k.lo > -maxFloat32 || k.hi < maxFloat32 {
		clampAll(k.output, k.lo, k.hi)
	}
}

// padKernel computes PAD with zeros: it clears the output and copies each
// innermost input row to its shifted place.
type padKernel struct {
	input, output []float32
	inShape       []int
	outStrides    []int
	offset        int // output offset of input element 0
	index         []int
}

func buildPad(c *opContext) (kernel, error) {
	if err := c.checkInputs(2, 2); err != nil {
		return nil, err
	}
	input, err := c.floats(c.input(0))
	if err != nil {
		return nil, err
	}
	paddings, err := c.ints(c.input(1))
	if err != nil {
		return nil, err
	}

	inShape := c.shape(c.input(0))
	if len(paddings) != 2*len(inShape) || len(inShape) == 0 {
		return nil, c.malformed("%d padding values for input %v, expected %d",
			len(paddings), inShape, 2*len(inShape))
	}
	want := make([]int, len(inShape))
	for d, n := range inShape {
		before, after := paddings[2*d], paddings[2*d+1]
		if before < 0 || after < 0 {
			return nil, c.malformed("negative padding %v", paddings)
		}
		want[d] = n + before + after
	}
	if err := c.checkOutput(want); err != nil {
		return nil, err
	}

	output, _ := c.output()
	k := &padKernel{input: input, output: output, inShape: inShape,
		outStrides: rowMajorStrides(want), index: make([]int, len(inShape))}
	for d := range inShape {
		k.offset += paddings[2*d] * k.outStrides[d]
	}
	return k, nil
}

// rowMajorStrides returns the element strides of a row-major shape.
func rowMajorStrides(shape []int) []int {
	strides := make([]int, len(shape))
	step := 1
	for d := len(shape) - 1; d >= 0; d-- {
		strides[d] = step
		step *= shape[d]
	}
	return strides
}

func (k *padKernel) run() {
	clear(k.output)
	last := len(k.inShape) - 1
	row := k.inShape[last]
	if len(k.input) == 0 {
		return
	}
	clear(k.index)
	for src := 0; src < len(k.input); src += row {
		dst := k.offset
		for d := range last {
			dst += k.index[d] * k.outStrides[d]
		}
		copy(k.output[dst:dst+row], k.input[src:src+row])
		for d := last - 1; d >= 0; d-- {
			k.index[d]++
			if k.index[d] < k.inShape[d] {
				break
			}
			k.index[d] = 0
		}
	}
}
