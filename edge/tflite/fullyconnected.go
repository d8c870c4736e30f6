package tflite

// fcKernel computes float32 FULLY_CONNECTED: each input row of depth values
// times the [units, depth] weights, plus bias.
type fcKernel struct {
	input, weights []float32
	bias, output   []float32
	rows, units    int
	depth          int
	lo, hi         float32
}

func (k *fcKernel) run() {
	gemm(k.input, k.rows, k.weights, nil, k.units, k.depth, k.bias, k.output, k.units, k.lo, k.hi)
}

func buildFullyConnected(c *opContext) (kernel, error) {
	opts, _ := c.op.Options.(*FullyConnectedOptions)
	if opts == nil {
		opts = &FullyConnectedOptions{}
	}
	if opts.WeightsFormat != 0 {
		return nil, c.unsupported(-1, "weights format %d", opts.WeightsFormat)
	}
	if err := c.checkInputs(2, 3); err != nil {
		return nil, err
	}
	rows, units, depth, err := fcShape(c)
	if err != nil {
		return nil, err
	}
	if c.isQuantized(c.input(0)) {
		k, err := newQconvKernel(c, units, depth, opts.Activation)
		return k, err
	}

	k := &fcKernel{rows: rows, units: units, depth: depth}
	if k.input, err = c.floats(c.input(0)); err != nil {
		return nil, err
	}
	if k.weights, err = c.floats(c.input(1)); err != nil {
		return nil, err
	}
	if k.bias, err = c.bias(c.input(2), units); err != nil {
		return nil, err
	}
	k.output, _ = c.output()
	k.lo, k.hi, err = c.activationRange(opts.Activation)
	return k, err
}

// fcShape checks the input, weights and output shapes and returns the
// number of input rows, output units and values per row.
func fcShape(c *opContext) (rows, units, depth int, err error) {
	in, w := c.shape(c.input(0)), c.shape(c.input(1))
	if len(w) != 2 || w[1] == 0 {
		return 0, 0, 0, c.malformed("weights %v must be [units, depth]", w)
	}
	units, depth = w[0], w[1]
	n := mustElements(in)
	if n%depth != 0 {
		return 0, 0, 0, c.malformed("input %v does not split into rows of %d", in, depth)
	}
	rows = n / depth
	_, out := c.output()
	if mustElements(out) != rows*units {
		return 0, 0, 0, c.malformed("output %v, expected %d rows of %d units", out, rows, units)
	}
	return rows, units, depth, nil
}
