package tflite

// depthwiseKernel computes DEPTHWISE_CONV_2D on NHWC input with a
// [1, KH, KW, C*M] filter, where output channel c*M+m reads input channel c.
type depthwiseKernel struct {
	win             window
	inC, mult, outC int
	input, filter   []float32
	bias, output    []float32
	lo, hi          float32
}

func buildDepthwise(c *opContext) (kernel, error) {
	opts, ok := c.op.Options.(*DepthwiseConv2DOptions)
	if !ok {
		return nil, c.malformed("missing DepthwiseConv2DOptions")
	}
	if err := c.checkInputs(2, 3); err != nil {
		return nil, err
	}
	if c.isQuantized(c.input(0)) {
		return buildQuantDepthwise(c, opts)
	}
	k := &depthwiseKernel{}
	fshape, err := k.bindTensors(c, opts.DepthMultiplier)
	if err != nil {
		return nil, err
	}

	k.win, err = c.newWindow(c.shape(c.input(0)), fshape[1], fshape[2], opts.Padding,
		opts.StrideH, opts.StrideW, opts.DilationH, opts.DilationW)
	if err != nil {
		return nil, err
	}
	if err := c.checkOutput([]int{k.win.batch, k.win.outH, k.win.outW, k.outC}); err != nil {
		return nil, err
	}
	k.lo, k.hi, err = c.activationRange(opts.Activation)
	return k, err
}

func (k *depthwiseKernel) bindTensors(c *opContext, multiplier int) ([]int, error) {
	var err error
	if k.input, err = c.floats(c.input(0)); err != nil {
		return nil, err
	}
	if k.filter, err = c.floats(c.input(1)); err != nil {
		return nil, err
	}

	in, fshape := c.shape(c.input(0)), c.shape(c.input(1))
	if len(in) != 4 || len(fshape) != 4 || fshape[0] != 1 {
		return nil, c.malformed("input %v must be 4-D and filter %v must be [1,H,W,C]", in, fshape)
	}
	k.inC, k.outC = in[3], fshape[3]
	if k.inC == 0 || k.outC%k.inC != 0 {
		return nil, c.malformed("filter channels %d are not a multiple of input channels %d",
			k.outC, k.inC)
	}
	k.mult = k.outC / k.inC
	if multiplier > 0 && multiplier != k.mult {
		return nil, c.malformed("depth multiplier %d, but filter %v implies %d",
			multiplier, fshape, k.mult)
	}

	k.bias, err = c.bias(c.input(2), k.outC)
	k.output, _ = c.output()
	return fshape, err
}

func (k *depthwiseKernel) run() {
	w := &k.win
	inImage := w.inH * w.inW * k.inC
	outImage := w.outH * w.outW * k.outC
	for b := range w.batch {
		in := k.input[b*inImage : (b+1)*inImage]
		out := k.output[b*outImage : (b+1)*outImage]
		for oy := range w.outH {
			for ox := range w.outW {
				p := oy*w.outW + ox
				k.pixel(in, out[p*k.outC:(p+1)*k.outC], oy, ox)
			}
		}
	}
}

// pixel computes all output channels of output pixel (oy, ox) into acc.
func (k *depthwiseKernel) pixel(in, acc []float32, oy, ox int) {
	w := &k.win
	copy(acc, k.bias)
	for ky := range w.kH {
		iy := oy*w.strideH - w.padTop + ky*w.dilH
		if iy < 0 || iy >= w.inH {
			continue
		}
		for kx := range w.kW {
			ix := ox*w.strideW - w.padLeft + kx*w.dilW
			if ix < 0 || ix >= w.inW {
				continue
			}
			src := in[(iy*w.inW+ix)*k.inC:][:k.inC]
			weights := k.filter[(ky*w.kW+kx)*k.outC:][:k.outC]
			if k.mult == 1 {
				multiplyAdd(acc, src, weights)
			} else {
				k.multiplyAddExpanded(acc, src, weights)
			}
		}
	}
	clampAll(acc, k.lo, k.hi)
}

// multiplyAddGo computes acc[i] += x[i] * y[i] over the length of acc,
// rounding the product and the sum separately.
func multiplyAddGo(acc, x, y []float32) {
	x, y = x[:len(acc)], y[:len(acc)]
	i := 0
	for ; i+4 <= len(acc); i += 4 {
		acc[i] += x[i] * y[i]
		acc[i+1] += x[i+1] * y[i+1]
		acc[i+2] += x[i+2] * y[i+2]
		acc[i+3] += x[i+3] * y[i+3]
	}
	for ; i < len(acc); i++ {
		acc[i] += x[i] * y[i]
	}
}

// multiplyAddExpanded handles a depth multiplier above 1: input channel c
// feeds outputs c*mult to c*mult+mult-1.
func (k *depthwiseKernel) multiplyAddExpanded(acc, src, weights []float32) {
	for c, v := range src {
		base := c * k.mult
		for m := range k.mult {
			acc[base+m] += v * weights[base+m]
		}
	}
}
