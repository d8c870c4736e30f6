package tflite

import "math"

// poolKernel computes AVERAGE_POOL_2D or MAX_POOL_2D on NHWC input. Like
// TFLite, the average divides by the number of window positions inside the
// input, so padding does not count.
type poolKernel struct {
	win           window
	channels      int
	input, output []float32
	lo, hi        float32
	isMax         bool
}

func buildAveragePool(c *opContext) (kernel, error) { return buildPool(c, false) }

func buildMaxPool(c *opContext) (kernel, error) { return buildPool(c, true) }

func buildPool(c *opContext, isMax bool) (kernel, error) {
	opts, ok := c.op.Options.(*Pool2DOptions)
	if !ok {
		return nil, c.malformed("missing Pool2DOptions")
	}
	if err := c.checkInputs(1, 1); err != nil {
		return nil, err
	}
	if c.isQuantized(c.input(0)) {
		return buildQuantPool(c, opts, isMax)
	}
	k := &poolKernel{isMax: isMax}
	var err error
	if k.input, err = c.floats(c.input(0)); err != nil {
		return nil, err
	}

	k.win, err = c.newWindow(c.shape(c.input(0)), opts.FilterHeight, opts.FilterWidth,
		opts.Padding, opts.StrideH, opts.StrideW, 1, 1)
	if err != nil {
		return nil, err
	}
	k.channels = c.shape(c.input(0))[3]
	if err := c.checkOutput([]int{k.win.batch, k.win.outH, k.win.outW, k.channels}); err != nil {
		return nil, err
	}
	k.output, _ = c.output()
	k.lo, k.hi, err = c.activationRange(opts.Activation)
	return k, err
}

func (k *poolKernel) run() {
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

func (k *poolKernel) pixel(in, acc []float32, oy, ox int) {
	w := &k.win
	initial := float32(0)
	if k.isMax {
		initial = float32(math.Inf(-1))
	}
	for i := range acc {
		acc[i] = initial
	}

	y0, y1 := max(0, oy*w.strideH-w.padTop), min(w.inH, oy*w.strideH-w.padTop+w.kH)
	x0, x1 := max(0, ox*w.strideW-w.padLeft), min(w.inW, ox*w.strideW-w.padLeft+w.kW)
	for iy := y0; iy < y1; iy++ {
		for ix := x0; ix < x1; ix++ {
			src := in[(iy*w.inW+ix)*k.channels:][:len(acc)]
			k.accumulate(acc, src)
		}
	}

	if count := (y1 - y0) * (x1 - x0); !k.isMax && count > 0 {
		scale := 1 / float32(count)
		for i := range acc {
			acc[i] *= scale
		}
	}
	clampAll(acc, k.lo, k.hi)
}

func (k *poolKernel) accumulate(acc, src []float32) {
	if k.isMax {
		for i, v := range src {
			acc[i] = max(acc[i], v)
		}
		return
	}
	for i, v := range src {
		acc[i] += v
	}
}
