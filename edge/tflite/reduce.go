package tflite

// meanKernel computes MEAN over a set of axes. It walks the input in order
// and adds each element to its output position, then divides by the number
// of elements per output.
type meanKernel struct {
	input, output []float32
	inShape       []int
	outStrides    []int // per input dimension, 0 for reduced axes
	index         []int
	scale         float32
}

func buildMean(c *opContext) (kernel, error) {
	opts, _ := c.op.Options.(*ReducerOptions)
	if opts == nil {
		opts = &ReducerOptions{}
	}
	if err := c.checkInputs(2, 2); err != nil {
		return nil, err
	}
	axes, err := c.ints(c.input(1))
	if err != nil {
		return nil, err
	}
	if c.isQuantized(c.input(0)) {
		return buildQuantMean(c, axes, opts.KeepDims)
	}
	input, err := c.floats(c.input(0))
	if err != nil {
		return nil, err
	}

	inShape := c.shape(c.input(0))
	reduced, err := reducedAxes(c, axes, len(inShape))
	if err != nil {
		return nil, err
	}
	output, _ := c.output()
	k := &meanKernel{input: input, output: output, inShape: inShape,
		index: make([]int, len(inShape))}
	if err := k.setStrides(c, reduced, opts.KeepDims); err != nil {
		return nil, err
	}
	return k, nil
}

// reducedAxes marks each axis in axes, which may be negative or repeated.
func reducedAxes(c *opContext, axes []int, rank int) ([]bool, error) {
	reduced := make([]bool, rank)
	for _, a := range axes {
		if a < 0 {
			a += rank
		}
		if a < 0 || a >= rank {
			return nil, c.malformed("axis %d out of range for rank %d", a, rank)
		}
		reduced[a] = true
	}
	return reduced, nil
}

// setStrides derives the output shape, checks it and records output strides
// for each input dimension.
func (k *meanKernel) setStrides(c *opContext, reduced []bool, keepDims bool) error {
	var kept []int
	count := 1
	for d, n := range k.inShape {
		switch {
		case !reduced[d]:
			kept = append(kept, n)
		case keepDims:
			kept = append(kept, 1)
			count *= n
		default:
			count *= n
		}
	}
	if err := c.checkOutput(kept); err != nil {
		return err
	}

	k.outStrides = make([]int, len(k.inShape))
	step := 1
	for d := len(k.inShape) - 1; d >= 0; d-- {
		if !reduced[d] {
			k.outStrides[d] = step
			step *= k.inShape[d]
		}
	}
	k.scale = 1 / float32(max(count, 1))
	return nil
}

func (k *meanKernel) run() {
	clear(k.output)
	clear(k.index)
	dst := 0
	for _, v := range k.input {
		k.output[dst] += v
		for d := len(k.index) - 1; d >= 0; d-- {
			k.index[d]++
			dst += k.outStrides[d]
			if k.index[d] < k.inShape[d] {
				break
			}
			dst -= k.outStrides[d] * k.inShape[d]
			k.index[d] = 0
		}
	}
	for i := range k.output {
		k.output[i] *= k.scale
	}
}
