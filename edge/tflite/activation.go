package tflite

import "math"

// unaryKernel applies an element-wise function: RELU, RELU6, LOGISTIC,
// TANH or HARD_SWISH.
type unaryKernel struct {
	input, output []float32
	fn            func(x float32) float32
}

func (k *unaryKernel) run() {
	for i, x := range k.input {
		k.output[i] = k.fn(x)
	}
}

// unaryFuncs maps each element-wise operator to its FLOAT32 function.
var unaryFuncs = map[BuiltinOperator]func(x float32) float32{
	OpRelu:      func(x float32) float32 { return max(x, 0) },
	OpRelu6:     func(x float32) float32 { return min(max(x, 0), 6) },
	OpLogistic:  logistic,
	OpTanh:      func(x float32) float32 { return float32(math.Tanh(float64(x))) },
	OpHardSwish: func(x float32) float32 { return x * min(max(x+3, 0), 6) / 6 },
}

// logistic returns 1 / (1 + e^-x), computed in float64 and rounded once.
func logistic(x float32) float32 {
	return float32(1 / (1 + math.Exp(-float64(x))))
}

func buildUnary(c *opContext) (kernel, error) {
	if err := c.checkInputs(1, 1); err != nil {
		return nil, err
	}
	input, err := c.floats(c.input(0))
	if err != nil {
		return nil, err
	}
	if err := c.checkOutput(c.shape(c.input(0))); err != nil {
		return nil, err
	}
	output, _ := c.output()
	return &unaryKernel{input: input, output: output, fn: unaryFuncs[c.op.Code]}, nil
}

// softmaxKernel computes SOFTMAX over the last dimension:
// exp(beta * (x - max)) / sum, per row.
type softmaxKernel struct {
	input, output []float32
	depth         int
	beta          float64
}

func buildSoftmax(c *opContext) (kernel, error) {
	opts, _ := c.op.Options.(*SoftmaxOptions)
	if opts == nil {
		return nil, c.malformed("has no SoftmaxOptions")
	}
	if err := c.checkInputs(1, 1); err != nil {
		return nil, err
	}
	input, err := c.floats(c.input(0))
	if err != nil {
		return nil, err
	}
	shape := c.shape(c.input(0))
	if len(shape) == 0 || shape[len(shape)-1] == 0 {
		return nil, c.malformed("input shape %v has no last dimension to normalise", shape)
	}
	if err := c.checkOutput(shape); err != nil {
		return nil, err
	}
	output, _ := c.output()
	return &softmaxKernel{input: input, output: output, depth: shape[len(shape)-1],
		beta: float64(opts.Beta)}, nil
}

func (k *softmaxKernel) run() {
	for start := 0; start < len(k.input); start += k.depth {
		softmaxRow(k.output[start:start+k.depth], k.input[start:start+k.depth], k.beta)
	}
}

// softmaxRow subtracts the row maximum before exponentiating, so no term
// overflows, and sums in float64.
func softmaxRow(dst, src []float32, beta float64) {
	peak := src[0]
	for _, x := range src {
		peak = max(peak, x)
	}
	var sum float64
	for i, x := range src {
		e := math.Exp(beta * float64(x-peak))
		dst[i] = float32(e)
		sum += e
	}
	for i := range dst {
		dst[i] = float32(float64(dst[i]) / sum)
	}
}
