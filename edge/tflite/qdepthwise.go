package tflite

// qdepthwiseKernel computes DEPTHWISE_CONV_2D on quantized data: output
// channel o reads input channel o / mult, and each in-bounds tap adds
// (w - wZero) * (x - xZero) to the int32 bias.
type qdepthwiseKernel struct {
	win             window
	inC, mult, outC int
	input           []int8
	inZero          int32
	filter          []int16
	bias            []int32
	acc             []int32
	output          []int8
	rq              *requant

	// With one output channel per input channel, rows holds the input row
	// of each tap of the current pixel, zeroRow for taps in the padding, and
	// packed the filter as packDepthwiseFilter lays it out.
	rows    [][]int8
	zeroRow []int8
	packed  []int16
}

func buildQuantDepthwise(c *opContext, opts *DepthwiseConv2DOptions) (kernel, error) {
	in, fshape := c.shape(c.input(0)), c.shape(c.input(1))
	if len(in) != 4 || len(fshape) != 4 || fshape[0] != 1 || in[3] == 0 ||
		fshape[3]%in[3] != 0 {
		return nil, c.malformed("input %v must be 4-D and filter %v must be [1,H,W,C*M]",
			in, fshape)
	}
	k := &qdepthwiseKernel{inC: in[3], outC: fshape[3], mult: fshape[3] / in[3]}
	if opts.DepthMultiplier > 0 && opts.DepthMultiplier != k.mult {
		return nil, c.malformed("depth multiplier %d, but filter %v implies %d",
			opts.DepthMultiplier, fshape, k.mult)
	}
	if err := k.bindTensors(c, opts.Activation); err != nil {
		return nil, err
	}

	var err error
	k.win, err = c.newWindow(in, fshape[1], fshape[2], opts.Padding,
		opts.StrideH, opts.StrideW, opts.DilationH, opts.DilationW)
	if err != nil {
		return nil, err
	}
	if k.mult == 1 {
		k.prepareRows()
	}
	return k, c.checkOutput([]int{k.win.batch, k.win.outH, k.win.outW, k.outC})
}

func (k *qdepthwiseKernel) bindTensors(c *opContext, act Activation) error {
	input, inP, err := c.quantized(c.input(0))
	if err != nil {
		return err
	}
	filter, scales, err := c.quantWeights(c.input(1), 3, k.outC)
	if err != nil {
		return err
	}
	if k.bias, err = c.quantBias(c.input(2), k.outC); err != nil {
		return err
	}
	output, outP, err := c.qoutput()
	if err != nil {
		return err
	}
	lo, hi, err := c.quantActivationRange(act, outP)
	if err != nil {
		return err
	}
	k.input, k.inZero, k.filter, k.output = input, inP.zero, filter, output
	k.rq = c.newMatrixRequant(inP.scale, scales, outP, lo, hi)
	k.acc = make([]int32, k.outC)
	return nil
}

// prepareRows sets up the tap rows and packed filter of depthwiseRows for
// a depth multiplier of 1. The zero row holds the input zero point, so its
// taps add nothing, like the padding they stand for.
func (k *qdepthwiseKernel) prepareRows() {
	taps := k.win.kH * k.win.kW
	k.zeroRow = make([]int8, k.inC)
	for i := range k.zeroRow {
		k.zeroRow[i] = int8(k.inZero)
	}
	k.rows = make([][]int8, taps+taps%2)
	for i := range k.rows {
		k.rows[i] = k.zeroRow
	}
	k.packed = packDepthwiseFilter(k.filter, k.outC)
}

func (k *qdepthwiseKernel) run() {
	w := &k.win
	pixels := w.outH * w.outW
	inImage := w.inH * w.inW * k.inC
	for b := range w.batch {
		in := k.input[b*inImage : (b+1)*inImage]
		out := k.output[b*pixels*k.outC : (b+1)*pixels*k.outC]
		for p := range pixels {
			k.pixel(in, p/w.outW, p%w.outW)
			k.rq.applyRow(k.acc, k.bias, 0, out[p*k.outC:(p+1)*k.outC])
		}
	}
}

// pixel accumulates all output channels of output pixel (oy, ox) in k.acc,
// without the bias.
func (k *qdepthwiseKernel) pixel(in []int8, oy, ox int) {
	if k.rows != nil {
		k.pixelRows(in, oy, ox)
		return
	}
	w := &k.win
	clear(k.acc)
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
			taps := k.filter[(ky*w.kW+kx)*k.outC:][:k.outC]
			for o := range k.acc {
				k.acc[o] += int32(taps[o]) * (int32(src[o/k.mult]) - k.inZero)
			}
		}
	}
}

// pixelRows is pixel for a depth multiplier of 1: it points the tap rows
// at the input, or at the zero row in the padding, and sums them with
// depthwiseRows.
func (k *qdepthwiseKernel) pixelRows(in []int8, oy, ox int) {
	w := &k.win
	t := 0
	for ky := range w.kH {
		iy := oy*w.strideH - w.padTop + ky*w.dilH
		for kx := range w.kW {
			ix := ox*w.strideW - w.padLeft + kx*w.dilW
			k.rows[t] = k.zeroRow
			if iy >= 0 && iy < w.inH && ix >= 0 && ix < w.inW {
				k.rows[t] = in[(iy*w.inW+ix)*k.inC:][:k.inC]
			}
			t++
		}
	}
	depthwiseRows(k.acc, k.rows, k.filter, k.packed, k.inZero)
}
