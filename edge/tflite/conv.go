package tflite

// convPatchBytes bounds the im2col scratch buffer of one convolution.
const convPatchBytes = 256 << 10

// convKernel computes CONV_2D on NHWC input with OHWI filters. A 1x1 filter
// with stride 1 is a matrix product of the input pixels with the filters;
// other filters first copy each output pixel's input window into a patch
// row (im2col) and then run the same matrix product on blocks of patches.
type convKernel struct {
	win       window
	inC, outC int
	input     []float32
	filter    []float32
	panels    []float32 // the filter as packFloatPanels lays it out, or nil
	bias      []float32
	output    []float32
	lo, hi    float32
	pointwise bool
	patchRows int
	scratch   *[]float32
}

func buildConv(c *opContext) (kernel, error) {
	opts, ok := c.op.Options.(*Conv2DOptions)
	if !ok {
		return nil, c.malformed("missing Conv2DOptions")
	}
	if err := c.checkInputs(2, 3); err != nil {
		return nil, err
	}
	if c.isQuantized(c.input(0)) {
		return buildQuantConv(c, opts)
	}
	k := &convKernel{}
	fshape, err := k.bindTensors(c)
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
	if k.lo, k.hi, err = c.activationRange(opts.Activation); err != nil {
		return nil, err
	}

	k.pointwise = fshape[1] == 1 && fshape[2] == 1 && opts.StrideH == 1 && opts.StrideW == 1
	k.panels = packFloatPanels(k.filter, k.outC, fshape[1]*fshape[2]*k.inC)
	if !k.pointwise {
		depth := fshape[1] * fshape[2] * k.inC
		k.patchRows = max(1, min(k.win.outH*k.win.outW, convPatchBytes/(4*depth)))
		k.scratch = c.in.scratch(k.patchRows * depth)
	}
	return k, nil
}

// bindTensors sets input, filter, bias and output and returns the filter
// shape.
func (k *convKernel) bindTensors(c *opContext) ([]int, error) {
	var err error
	if k.input, err = c.floats(c.input(0)); err != nil {
		return nil, err
	}
	if k.filter, err = c.floats(c.input(1)); err != nil {
		return nil, err
	}

	in, fshape := c.shape(c.input(0)), c.shape(c.input(1))
	if len(in) != 4 || len(fshape) != 4 {
		return nil, c.malformed("input %v and filter %v must be 4-D", in, fshape)
	}
	if in[3] != fshape[3] {
		if fshape[3] > 0 && in[3]%fshape[3] == 0 {
			return nil, c.unsupported(c.input(1), "grouped convolution")
		}
		return nil, c.malformed("filter %v does not match input channels %d", fshape, in[3])
	}
	k.inC, k.outC = in[3], fshape[0]
	if k.inC == 0 || fshape[1] == 0 || fshape[2] == 0 {
		return nil, c.malformed("filter %v has no elements per output channel", fshape)
	}

	k.bias, err = c.bias(c.input(2), k.outC)
	k.output, _ = c.output()
	return fshape, err
}

// bias returns the values of an optional bias tensor of n elements, or
// zeros when the input is omitted.
func (c *opContext) bias(t, n int) ([]float32, error) {
	if t < 0 {
		return make([]float32, n), nil
	}
	b, err := c.floats(t)
	if err != nil {
		return nil, err
	}
	if len(b) != n {
		return nil, c.malformed("bias has %d values, expected %d", len(b), n)
	}
	return b, nil
}

// scratch returns a shared scratch buffer of at least n elements. Kernels
// use it only while they run, and kernels run one at a time.
func (in *Interpreter) scratch(n int) *[]float32 {
	if len(in.scratchBuf) < n {
		in.scratchBuf = make([]float32, n)
	}
	return &in.scratchBuf
}

func (k *convKernel) run() {
	w := &k.win
	pixels := w.outH * w.outW
	inImage := w.inH * w.inW * k.inC
	outImage := pixels * k.outC
	for b := range w.batch {
		in := k.input[b*inImage : (b+1)*inImage]
		out := k.output[b*outImage : (b+1)*outImage]
		if k.pointwise {
			gemm(in, pixels, k.filter, k.panels, k.outC, k.inC, k.bias, out, k.outC, k.lo, k.hi)
			continue
		}
		k.runPatches(in, out)
	}
}

// runPatches convolves one image through im2col blocks of patchRows pixels.
func (k *convKernel) runPatches(in, out []float32) {
	depth := k.win.kH * k.win.kW * k.inC
	pixels := k.win.outH * k.win.outW
	patches := (*k.scratch)[:k.patchRows*depth]
	for p0 := 0; p0 < pixels; p0 += k.patchRows {
		n := min(k.patchRows, pixels-p0)
		for r := range n {
			k.fillPatch(in, p0+r, patches[r*depth:(r+1)*depth])
		}
		gemm(patches, n, k.filter, k.panels, k.outC, depth, k.bias, out[p0*k.outC:], k.outC, k.lo, k.hi)
	}
}

// fillPatch copies the input window of output pixel p into dst in (ky, kx,
// channel) order, the order of an OHWI filter row, with zeros for padding.
func (k *convKernel) fillPatch(in []float32, p int, dst []float32) {
	w := &k.win
	oy, ox := p/w.outW, p%w.outW
	ch := k.inC
	i := 0
	for ky := range w.kH {
		iy := oy*w.strideH - w.padTop + ky*w.dilH
		for kx := range w.kW {
			ix := ox*w.strideW - w.padLeft + kx*w.dilW
			seg := dst[i : i+ch]
			if iy < 0 || iy >= w.inH || ix < 0 || ix >= w.inW {
				clear(seg)
			} else {
				copy(seg, in[(iy*w.inW+ix)*ch:])
			}
			i += ch
		}
	}
}
