package tflite

// qconvKernel computes CONV_2D and FULLY_CONNECTED on quantized data. Each
// output is bias + sum((w - wZero) * (x - xZero)) over its window, scaled
// to the output by a per-channel fixed-point multiplier. Padding reads as
// xZero, which adds nothing, as in TFLite where padded taps are skipped.
type qconvKernel struct {
	win       window
	inC, outC int
	depth     int // filter elements per output channel
	input     []int8
	inZero    int32
	filter    []int16
	biasAdj   []int32 // bias - inZero * sum(filter row)
	output    []int8
	rq        *requant
	patch     []int8 // im2col rows of one output pixel; nil for FC
}

// newQconvKernel binds the tensors shared by quantized CONV_2D and
// FULLY_CONNECTED. Filter rows are output channels of depth elements.
func newQconvKernel(c *opContext, outC, depth int, act Activation) (*qconvKernel, error) {
	input, inP, err := c.quantized(c.input(0))
	if err != nil {
		return nil, err
	}
	filter, scales, err := c.quantWeights(c.input(1), 0, outC)
	if err != nil {
		return nil, err
	}
	bias, err := c.quantBias(c.input(2), outC)
	if err != nil {
		return nil, err
	}
	output, outP, err := c.qoutput()
	if err != nil {
		return nil, err
	}
	lo, hi, err := c.quantActivationRange(act, outP)
	if err != nil {
		return nil, err
	}

	k := &qconvKernel{outC: outC, depth: depth, input: input, inZero: inP.zero,
		filter: filter, output: output, rq: c.newMatrixRequant(inP.scale, scales, outP, lo, hi)}
	k.biasAdj = make([]int32, outC)
	for o := range outC {
		var sum int32
		for _, w := range filter[o*depth : (o+1)*depth] {
			sum += int32(w)
		}
		k.biasAdj[o] = bias[o] - inP.zero*sum
	}
	return k, nil
}

func buildQuantConv(c *opContext, opts *Conv2DOptions) (kernel, error) {
	in, fshape := c.shape(c.input(0)), c.shape(c.input(1))
	if len(in) != 4 || len(fshape) != 4 || in[3] != fshape[3] || in[3] == 0 {
		return nil, c.malformed("input %v and filter %v must be 4-D with equal channels", in, fshape)
	}
	k, err := newQconvKernel(c, fshape[0], fshape[1]*fshape[2]*fshape[3], opts.Activation)
	if err != nil {
		return nil, err
	}
	k.inC = in[3]
	k.win, err = c.newWindow(in, fshape[1], fshape[2], opts.Padding,
		opts.StrideH, opts.StrideW, opts.DilationH, opts.DilationW)
	if err != nil {
		return nil, err
	}
	if err := c.checkOutput([]int{k.win.batch, k.win.outH, k.win.outW, k.outC}); err != nil {
		return nil, err
	}
	k.patch = make([]int8, k.depth)
	return k, nil
}

func (k *qconvKernel) run() {
	if k.patch == nil {
		k.runRows(k.input, len(k.input)/k.depth, k.output)
		return
	}
	w := &k.win
	pixels := w.outH * w.outW
	inImage := w.inH * w.inW * k.inC
	for b := range w.batch {
		in := k.input[b*inImage : (b+1)*inImage]
		out := k.output[b*pixels*k.outC : (b+1)*pixels*k.outC]
		for p := range pixels {
			k.fillPatch(in, p)
			k.runRows(k.patch, 1, out[p*k.outC:(p+1)*k.outC])
		}
	}
}

// runRows computes rows output rows from rows input rows of depth values.
func (k *qconvKernel) runRows(a []int8, rows int, out []int8) {
	for r := range rows {
		row := a[r*k.depth : (r+1)*k.depth]
		for o := range k.outC {
			acc := dotInt8Int16(row, k.filter[o*k.depth:(o+1)*k.depth]) + k.biasAdj[o]
			out[r*k.outC+o] = k.rq.apply(acc, o)
		}
	}
}

// dotInt8Int16 returns the int32 dot product of a and b, wrapping on
// overflow like TFLite's int32 accumulators.
func dotInt8Int16(a []int8, b []int16) int32 {
	b = b[:len(a)]
	var s0, s1 int32
	i := 0
	for ; i+2 <= len(a); i += 2 {
		s0 += int32(a[i]) * int32(b[i])
		s1 += int32(a[i+1]) * int32(b[i+1])
	}
	if i < len(a) {
		s0 += int32(a[i]) * int32(b[i])
	}
	return s0 + s1
}

// fillPatch copies the input window of output pixel p into k.patch in
// (ky, kx, channel) order, with the input zero point for padding.
func (k *qconvKernel) fillPatch(in []int8, p int) {
	w := &k.win
	oy, ox := p/w.outW, p%w.outW
	i := 0
	for ky := range w.kH {
		iy := oy*w.strideH - w.padTop + ky*w.dilH
		for kx := range w.kW {
			ix := ox*w.strideW - w.padLeft + kx*w.dilW
			seg := k.patch[i : i+k.inC]
			if iy < 0 || iy >= w.inH || ix < 0 || ix >= w.inW {
				for j := range seg {
					seg[j] = int8(k.inZero)
				}
			} else {
				copy(seg, in[(iy*w.inW+ix)*k.inC:])
			}
			i += k.inC
		}
	}
}
