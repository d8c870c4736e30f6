package tflite

// qpoolKernel computes AVERAGE_POOL_2D or MAX_POOL_2D on quantized data,
// whose input and output share scale and zero point. The average rounds
// half away from zero on the stored values, as TFLite does, so UINT8 data
// is averaged as 0..255 and not in the shifted int8 storage.
type qpoolKernel struct {
	win           window
	channels      int
	input, output []int8
	offset        int32 // 128 for UINT8 storage, 0 for INT8
	lo, hi        int32
	isMax         bool
	acc           []int32
}

func buildQuantPool(c *opContext, opts *Pool2DOptions, isMax bool) (kernel, error) {
	input, ip, err := c.quantized(c.input(0))
	if err != nil {
		return nil, err
	}
	output, op, err := c.qoutput()
	if err != nil {
		return nil, err
	}
	if ip != op {
		return nil, c.unsupported(c.op.Outputs[0], "output scale %v and zero point %d differ "+
			"from the input's %v and %d", op.scale, op.zero, ip.scale, ip.zero)
	}
	k := &qpoolKernel{input: input, output: output, isMax: isMax}
	if c.in.model.Tensors[c.input(0)].Type == Uint8 {
		k.offset = 128
	}
	if k.lo, k.hi, err = c.quantActivationRange(opts.Activation, op); err != nil {
		return nil, err
	}

	k.win, err = c.newWindow(c.shape(c.input(0)), opts.FilterHeight, opts.FilterWidth,
		opts.Padding, opts.StrideH, opts.StrideW, 1, 1)
	if err != nil {
		return nil, err
	}
	k.channels = c.shape(c.input(0))[3]
	k.acc = make([]int32, k.channels)
	return k, c.checkOutput([]int{k.win.batch, k.win.outH, k.win.outW, k.channels})
}

func (k *qpoolKernel) run() {
	w := &k.win
	inImage := w.inH * w.inW * k.channels
	outImage := w.outH * w.outW * k.channels
	for b := range w.batch {
		in := k.input[b*inImage : (b+1)*inImage]
		out := k.output[b*outImage : (b+1)*outImage]
		for p := range w.outH * w.outW {
			k.pixel(in, out[p*k.channels:(p+1)*k.channels], p/w.outW, p%w.outW)
		}
	}
}

func (k *qpoolKernel) pixel(in, out []int8, oy, ox int) {
	w := &k.win
	initial := int32(0)
	if k.isMax {
		initial = -1 << 31
	}
	for i := range k.acc {
		k.acc[i] = initial
	}

	y0, y1 := max(0, oy*w.strideH-w.padTop), min(w.inH, oy*w.strideH-w.padTop+w.kH)
	x0, x1 := max(0, ox*w.strideW-w.padLeft), min(w.inW, ox*w.strideW-w.padLeft+w.kW)
	for iy := y0; iy < y1; iy++ {
		for ix := x0; ix < x1; ix++ {
			src := in[(iy*w.inW+ix)*k.channels:][:len(k.acc)]
			k.accumulate(src)
		}
	}

	count := int32((y1 - y0) * (x1 - x0))
	for i, acc := range k.acc {
		if !k.isMax && count > 0 {
			acc = roundedDivide(acc, count) - k.offset
		}
		out[i] = int8(min(max(acc, k.lo), k.hi))
	}
}

func (k *qpoolKernel) accumulate(src []int8) {
	if k.isMax {
		for i, v := range src {
			k.acc[i] = max(k.acc[i], int32(v))
		}
		return
	}
	for i, v := range src {
		k.acc[i] += int32(v) + k.offset
	}
}

// roundedDivide returns a / n rounded half away from zero, for n > 0.
func roundedDivide(a, n int32) int32 {
	if a > 0 {
		return (a + n/2) / n
	}
	return (a - n/2) / n
}
