package tflite

// binaryKernel computes SUB or MUL on FLOAT32 data with NumPy-style
// broadcasting and a fused activation.
type binaryKernel struct {
	a, b, output []float32
	lo, hi       float32
	fn           func(x, y float32) float32
	walk         broadcastWalk
}

func buildSub(c *opContext) (kernel, error) {
	return buildBinary(c, func(x, y float32) float32 { return x - y })
}

func buildMul(c *opContext) (kernel, error) {
	return buildBinary(c, func(x, y float32) float32 { return x * y })
}

func buildBinary(c *opContext, fn func(x, y float32) float32) (kernel, error) {
	opts, _ := c.op.Options.(*ActivationOptions)
	if opts == nil {
		opts = &ActivationOptions{}
	}
	if err := c.checkInputs(2, 2); err != nil {
		return nil, err
	}
	k := &binaryKernel{fn: fn}
	var err error
	if k.a, err = c.floats(c.input(0)); err != nil {
		return nil, err
	}
	if k.b, err = c.floats(c.input(1)); err != nil {
		return nil, err
	}
	if k.walk, err = newBroadcastWalk(c); err != nil {
		return nil, err
	}
	k.output, _ = c.output()
	k.lo, k.hi, err = c.activationRange(opts.Activation)
	return k, err
}

func (k *binaryKernel) run() {
	if len(k.a) == len(k.output) && len(k.b) == len(k.output) {
		for i := range k.output {
			k.output[i] = clamp(k.fn(k.a[i], k.b[i]), k.lo, k.hi)
		}
		return
	}
	k.walk.each(func(i, ia, ib int) {
		k.output[i] = clamp(k.fn(k.a[ia], k.b[ib]), k.lo, k.hi)
	})
}
