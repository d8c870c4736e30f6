package tflite

// gatherKernel copies a strided view of its input to its output in order.
// TRANSPOSE and STRIDED_SLICE use it: output position i, with index
// (i_0, ..., i_n) in shape, reads input offset start + sum(i_d * strides[d]).
type gatherKernel struct {
	input, output []float32
	shape         []int
	strides       []int // input element step per output dimension
	start         int
	index         []int
}

func newGatherKernel(input, output []float32, shape, strides []int, start int) *gatherKernel {
	return &gatherKernel{input: input, output: output, shape: shape, strides: strides,
		start: start, index: make([]int, len(shape))}
}

func (k *gatherKernel) run() {
	clear(k.index)
	src := k.start
	last := len(k.shape) - 1
	for i := range k.output {
		k.output[i] = k.input[src]
		for d := last; d >= 0; d-- {
			k.index[d]++
			src += k.strides[d]
			if k.index[d] < k.shape[d] {
				break
			}
			src -= k.strides[d] * k.shape[d]
			k.index[d] = 0
		}
	}
}

func buildTranspose(c *opContext) (kernel, error) {
	if err := c.checkInputs(2, 2); err != nil {
		return nil, err
	}
	input, err := c.floats(c.input(0))
	if err != nil {
		return nil, err
	}
	perm, err := c.ints(c.input(1))
	if err != nil {
		return nil, err
	}
	inShape := c.shape(c.input(0))
	if len(perm) != len(inShape) {
		return nil, c.malformed("permutation %v for input of rank %d", perm, len(inShape))
	}

	inStrides := rowMajorStrides(inShape)
	shape, strides := make([]int, len(perm)), make([]int, len(perm))
	seen := make([]bool, len(perm))
	for i, p := range perm {
		if p < 0 || p >= len(perm) || seen[p] {
			return nil, c.malformed("permutation %v is not a permutation of the axes", perm)
		}
		seen[p] = true
		shape[i], strides[i] = inShape[p], inStrides[p]
	}
	if err := c.checkOutput(shape); err != nil {
		return nil, err
	}
	output, _ := c.output()
	return newGatherKernel(input, output, shape, strides, 0), nil
}

// buildSqueeze checks the output shape against the axes to remove and
// copies the data, which SQUEEZE does not reorder.
func buildSqueeze(c *opContext) (kernel, error) {
	if err := c.checkInputs(1, 1); err != nil {
		return nil, err
	}
	input, err := c.floats(c.input(0))
	if err != nil {
		return nil, err
	}
	var dims []int
	if opts, ok := c.op.Options.(*SqueezeOptions); ok {
		dims = opts.SqueezeDims
	}
	shape, err := squeezedShape(c, c.shape(c.input(0)), dims)
	if err != nil {
		return nil, err
	}
	if err := c.checkOutput(shape); err != nil {
		return nil, err
	}
	output, _ := c.output()
	return &copyKernel{input: input, output: output}, nil
}

// squeezedShape removes the listed axes, which must have size 1, or every
// axis of size 1 when dims is empty.
func squeezedShape(c *opContext, in, dims []int) ([]int, error) {
	remove := make([]bool, len(in))
	for _, d := range dims {
		if d < 0 {
			d += len(in)
		}
		if d < 0 || d >= len(in) || in[d] != 1 {
			return nil, c.malformed("cannot squeeze axis %d of shape %v", d, in)
		}
		remove[d] = true
	}
	var out []int
	for d, n := range in {
		if remove[d] || (len(dims) == 0 && n == 1) {
			continue
		}
		out = append(out, n)
	}
	return out, nil
}
