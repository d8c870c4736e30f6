package tflite

import "slices"

// addLeftShift is the headroom shift that TFLite's 8-bit ADD applies to
// both operands before rescaling them to a common scale.
const addLeftShift = 20

// qaddKernel computes ADD on quantized operands with TFLite's arithmetic:
// each operand minus its zero point is shifted left by 20 bits, rescaled by
// scale / (2 * max scale), summed, and rescaled to the output.
type qaddKernel struct {
	a, b, output []int8
	aZero, bZero int32
	aMult, bMult int32
	aExp, bExp   int
	out          *requant
	walk         broadcastWalk
	sameShape    bool // both operands have the output's shape

	// aScaled and bScaled map each int8 operand value, indexed as uint8,
	// to its rescaled shifted value, which depends on that value alone.
	aScaled, bScaled *[256]int32
	// block requantizes addBlock sums at once with per-element copies of
	// the output multiplier, and sums and noBias are its inputs.
	block        *requant
	sums, noBias []int32
}

// addBlock is the number of sums that the same-shape ADD requantizes per
// call.
const addBlock = 64

func buildQuantAdd(c *opContext, act Activation) (kernel, error) {
	a, ap, err := c.quantized(c.input(0))
	if err != nil {
		return nil, err
	}
	b, bp, err := c.quantized(c.input(1))
	if err != nil {
		return nil, err
	}
	output, op, err := c.qoutput()
	if err != nil {
		return nil, err
	}
	lo, hi, err := c.quantActivationRange(act, op)
	if err != nil {
		return nil, err
	}

	k := &qaddKernel{a: a, b: b, output: output, aZero: ap.zero, bZero: bp.zero}
	twiceMax := 2 * float64(max(ap.scale, bp.scale))
	k.aMult, k.aExp = quantizeMultiplier(float64(ap.scale) / twiceMax)
	k.bMult, k.bExp = quantizeMultiplier(float64(bp.scale) / twiceMax)
	outScale := twiceMax / (float64(int64(1)<<addLeftShift) * float64(op.scale))
	k.out = &requant{zero: op.zero, lo: lo, hi: hi, multiplier: make([]int32, 1),
		exponent: make([]int, 1)}
	k.out.multiplier[0], k.out.exponent[0] = quantizeMultiplier(outScale)

	k.sameShape = slices.Equal(c.shape(c.input(0)), c.shape(c.op.Outputs[0])) &&
		slices.Equal(c.shape(c.input(1)), c.shape(c.op.Outputs[0]))
	if k.sameShape {
		k.prepareBlocks()
	}
	k.walk, err = newBroadcastWalk(c)
	return k, err
}

func (k *qaddKernel) run() {
	if k.sameShape {
		k.runSameShape()
		return
	}
	k.walk.each(func(i, ia, ib int) {
		x := (int32(k.a[ia]) - k.aZero) * (1 << addLeftShift)
		y := (int32(k.b[ib]) - k.bZero) * (1 << addLeftShift)
		sum := multiplyByQuantizedMultiplier(x, k.aMult, k.aExp) +
			multiplyByQuantizedMultiplier(y, k.bMult, k.bExp)
		k.output[i] = k.out.apply(sum, 0)
	})
}

// prepareBlocks computes the operand tables and the block requantization
// of runSameShape.
func (k *qaddKernel) prepareBlocks() {
	k.aScaled, k.bScaled = new([256]int32), new([256]int32)
	for v := range 256 {
		shifted := int32(int8(v)) * (1 << addLeftShift)
		k.aScaled[v] = multiplyByQuantizedMultiplier(shifted-k.aZero<<addLeftShift,
			k.aMult, k.aExp)
		k.bScaled[v] = multiplyByQuantizedMultiplier(shifted-k.bZero<<addLeftShift,
			k.bMult, k.bExp)
	}

	mult, exp := make([]int32, addBlock), make([]int, addBlock)
	for i := range addBlock {
		mult[i], exp[i] = k.out.multiplier[0], k.out.exponent[0]
	}
	k.block = &requant{multiplier: mult, exponent: exp, zero: k.out.zero,
		lo: k.out.lo, hi: k.out.hi, twiceVector: roundTwiceVectorParams(exp)}
	k.sums, k.noBias = make([]int32, addBlock), make([]int32, addBlock)
}

// runSameShape is run without broadcasting: it looks up both rescaled
// operands and requantizes their sums a block at a time, which gives the
// values of the per-element arithmetic in run.
func (k *qaddKernel) runSameShape() {
	for i0 := 0; i0 < len(k.output); i0 += addBlock {
		n := min(addBlock, len(k.output)-i0)
		a, b, sums := k.a[i0:i0+n], k.b[i0:i0+n], k.sums[:n]
		for i := range sums {
			sums[i] = k.aScaled[uint8(a[i])] + k.bScaled[uint8(b[i])]
		}
		k.block.applyRow(sums, k.noBias, 0, k.output[i0:i0+n])
	}
}

// broadcastWalk visits the output of a binary operator in order with the
// matching offsets of both operands under NumPy broadcasting.
type broadcastWalk struct {
	n                  int
	outShape           []int
	stridesA, stridesB []int
	index              []int
}

// newBroadcastWalk checks that the operator's two input shapes broadcast to
// its output shape.
func newBroadcastWalk(c *opContext) (broadcastWalk, error) {
	sa, sb := c.shape(c.input(0)), c.shape(c.input(1))
	out, ok := BroadcastShape(sa, sb)
	if !ok {
		return broadcastWalk{}, c.malformed("shapes %v and %v do not broadcast", sa, sb)
	}
	if err := c.checkOutput(out); err != nil {
		return broadcastWalk{}, err
	}
	return broadcastWalk{n: mustElements(out), outShape: out,
		stridesA: broadcastStrides(sa, len(out)), stridesB: broadcastStrides(sb, len(out)),
		index: make([]int, len(out))}, nil
}

func (w *broadcastWalk) each(f func(i, ia, ib int)) {
	clear(w.index)
	ia, ib := 0, 0
	last := len(w.outShape) - 1
	for i := range w.n {
		f(i, ia, ib)
		for d := last; d >= 0; d-- {
			w.index[d]++
			ia += w.stridesA[d]
			ib += w.stridesB[d]
			if w.index[d] < w.outShape[d] {
				break
			}
			ia -= w.stridesA[d] * w.outShape[d]
			ib -= w.stridesB[d] * w.outShape[d]
			w.index[d] = 0
		}
	}
}

// quantizeKernel computes QUANTIZE from FLOAT32: round(x / scale) + zero,
// rounding half away from zero and saturating, or in the float mode
// x * (1 / scale) rounded half to even.
type quantizeKernel struct {
	input  []float32
	output []int8
	p      quantParams
	float  bool // Requantization is RequantizeFloat
}

func (k *quantizeKernel) run() {
	if k.float {
		quantizeFloatsToEven(k.output, k.input, k.p.scale, k.p.zero)
		return
	}
	quantizeFloats(k.output, k.input, k.p.scale, k.p.zero)
}

// requantizeKernel computes QUANTIZE between two quantized types or scales.
type requantizeKernel struct {
	input  []int8
	inZero int32
	output []int8
	rq     *requant
}

func (k *requantizeKernel) run() {
	for i, q := range k.input {
		k.output[i] = k.rq.apply(int32(q)-k.inZero, 0)
	}
}

func buildQuantize(c *opContext) (kernel, error) {
	if err := c.checkInputs(1, 1); err != nil {
		return nil, err
	}
	output, op, err := c.qoutput()
	if err != nil {
		return nil, err
	}
	if err := c.checkSameElements(); err != nil {
		return nil, err
	}
	if !c.isQuantized(c.input(0)) {
		input, err := c.floats(c.input(0))
		return &quantizeKernel{input: input, output: output, p: op,
			float: c.in.requantization == RequantizeFloat}, err
	}

	input, ip, err := c.quantized(c.input(0))
	if err != nil {
		return nil, err
	}
	rq := newRequant(ip.scale, []float32{1}, op, -128, 127)
	return &requantizeKernel{input: input, inZero: ip.zero, output: output, rq: rq}, nil
}

// dequantizeKernel computes DEQUANTIZE of a quantized activation.
type dequantizeKernel struct {
	input  []int8
	output []float32
	p      quantParams
}

func (k *dequantizeKernel) run() { dequantizeInt8(k.output, k.input, k.p.scale, k.p.zero) }

func buildDequantize(c *opContext) (kernel, error) {
	if err := c.checkInputs(1, 1); err != nil {
		return nil, err
	}
	if !c.isQuantized(c.input(0)) {
		return nil, c.unsupported(c.input(0), "input type %s is not a constant, so it "+
			"cannot be folded", c.in.model.Tensors[c.input(0)].Type)
	}
	input, p, err := c.quantized(c.input(0))
	if err != nil {
		return nil, err
	}
	output, _ := c.output()
	if output == nil {
		return nil, c.unsupported(c.op.Outputs[0], "output type %s, expected FLOAT32",
			c.in.model.Tensors[c.op.Outputs[0]].Type)
	}
	return &dequantizeKernel{input: input, output: output, p: p}, c.checkSameElements()
}

// checkSameElements requires input 0 and the output to have the same
// number of elements.
func (c *opContext) checkSameElements() error {
	in, _ := numElements(c.shape(c.input(0)))
	_, outShape := c.output()
	if out := mustElements(outShape); in != out {
		return c.malformed("input %v and output %v differ in size", c.shape(c.input(0)), outShape)
	}
	return nil
}
