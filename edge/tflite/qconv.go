package tflite

// qconvKernel computes CONV_2D and FULLY_CONNECTED on quantized data. Each
// output is bias + sum((w - wZero) * (x - xZero)) over its window, scaled
// to the output by a per-channel multiplier. Rows of x - xZero, one per
// output pixel (im2col) or one per FULLY_CONNECTED input row, are widened
// to int16 in blocks and multiplied with the int16 filter rows by
// dotRows2x4. Padding becomes 0 after subtracting xZero, as in TFLite,
// where padded taps are skipped.
type qconvKernel struct {
	win       window
	conv      bool // false where the input rows are the patches: FULLY_CONNECTED, 1x1 CONV_2D
	inC, outC int
	depth     int // filter elements per output channel
	depthPad  int // depth rounded up to qgemmLanes
	colsPad   int // outC rounded up to 4
	input     []int8
	inZero    int32
	filter    []int16 // colsPad rows of depthPad values, zero padded, or nil
	panels    []int16 // the filter as packPanels lays it out, or nil
	bias      []int32
	output    []int8
	rq        *requant

	blockRows int // patch rows widened per block
	colBlock  int // filter rows multiplied per pass over a block, a multiple of 8
	patches   *[]int16
	acc       []int32 // dot products of two or panelRows rows with colBlock filter rows
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

	k := &qconvKernel{outC: outC, depth: depth, depthPad: padDepth(depth),
		colsPad: (outC + 3) &^ 3, input: input, inZero: inP.zero, bias: bias,
		output: output, rq: c.newMatrixRequant(inP.scale, scales, outP, lo, hi)}
	k.filter = padRows(filter, outC, depth, k.colsPad, k.depthPad)
	// A multiple of panelRows lets multiplyPanels read whole tiles.
	k.blockRows = max(panelRows, convPatchBytes/(2*k.depthPad)) &^ (panelRows - 1)
	k.patches = c.in.scratch16(k.blockRows * k.depthPad)
	if usePanels {
		k.usePanels()
		return k, nil
	}
	// A multiple of 8 keeps every block on a group of requantizeOnceVector.
	k.colBlock = min(k.colsPad, max(8, qgemmBlockBytes/(2*k.depthPad))&^7)
	k.acc = make([]int32, 2*k.colBlock)
	return k, nil
}

// usePanels replaces the filter rows by the panels of multiplyPanels.
func (k *qconvKernel) usePanels() {
	k.panels = packPanels(k.filter, k.outC, k.depthPad)
	k.filter = nil
	k.colsPad = len(k.panels) / k.depthPad
	k.colBlock = min(k.colsPad, max(panelCols, qgemmBlockBytes/(2*k.depthPad))&^(panelCols-1))
	k.acc = make([]int32, panelRows*k.colBlock)
}

// padRows copies rows rows of depth values into a zeroed matrix of
// rowsPad rows of depthPad values.
func padRows(m []int16, rows, depth, rowsPad, depthPad int) []int16 {
	out := make([]int16, rowsPad*depthPad)
	for r := range rows {
		copy(out[r*depthPad:], m[r*depth:(r+1)*depth])
	}
	return out
}

// scratch16 returns a shared int16 scratch buffer of at least n elements,
// used like scratch.
func (in *Interpreter) scratch16(n int) *[]int16 {
	if len(in.scratch16Buf) < n {
		in.scratch16Buf = make([]int16, n)
	}
	return &in.scratch16Buf
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
	// The patch of a 1x1 convolution with stride 1 is its input pixel, so
	// its input rows are read like those of FULLY_CONNECTED.
	w := &k.win
	k.conv = w.kH != 1 || w.kW != 1 || w.strideH != 1 || w.strideW != 1
	return k, c.checkOutput([]int{k.win.batch, k.win.outH, k.win.outW, k.outC})
}

func (k *qconvKernel) run() {
	rows := len(k.output) / k.outC
	for r0 := 0; r0 < rows; r0 += k.blockRows {
		n := min(k.blockRows, rows-r0)
		k.fillRows(r0, n)
		k.multiply(r0, n)
	}
}

// fillRows writes patch rows r0 to r0+n-1 into the scratch buffer.
func (k *qconvKernel) fillRows(r0, n int) {
	patches := (*k.patches)[:n*k.depthPad]
	if !k.conv && k.depth == k.depthPad {
		widenInt8(k.input[r0*k.depth:(r0+n)*k.depth], patches, k.inZero)
		return
	}
	for r := range n {
		row := patches[r*k.depthPad : (r+1)*k.depthPad]
		if k.conv {
			k.fillPatch(r0+r, row)
		} else {
			widenInt8(k.input[(r0+r)*k.depth:(r0+r+1)*k.depth], row[:k.depth], k.inZero)
		}
		clear(row[k.depth:])
	}
}

// multiply computes output rows r0 to r0+n-1 from the filled patch rows,
// one block of filter rows at a time.
func (k *qconvKernel) multiply(r0, n int) {
	if k.panels != nil {
		k.multiplyPanels(r0, n)
		return
	}
	dp := k.depthPad
	patches := *k.patches
	for c0 := 0; c0 < k.colsPad; c0 += k.colBlock {
		cols := min(k.colBlock, k.colsPad-c0)
		w := k.filter[c0*dp : (c0+cols)*dp]
		for r := 0; r < n; r += 2 {
			a0 := patches[r*dp : (r+1)*dp]
			a1 := a0
			if r+1 < n {
				a1 = patches[(r+1)*dp : (r+2)*dp]
			}
			dotRows2x4(a0, a1, w, dp, cols, k.acc)
			k.store(r0+r, c0, k.acc[:cols])
			if r+1 < n {
				k.store(r0+r+1, c0, k.acc[cols:2*cols])
			}
		}
	}
}

// multiplyPanels is multiply with the packed panels, panelRows patch rows
// at a time. The rows of the last tile past n hold stale values, and their
// sums are not stored.
func (k *qconvKernel) multiplyPanels(r0, n int) {
	dp := k.depthPad
	patches := *k.patches
	for c0 := 0; c0 < k.colsPad; c0 += k.colBlock {
		cols := min(k.colBlock, k.colsPad-c0)
		w := k.panels[c0*dp : (c0+cols)*dp]
		for r := 0; r < n; r += panelRows {
			multiplyPanels(patches[r*dp:], dp, w, dp, cols/panelCols, k.acc, k.colBlock)
			for i := range min(panelRows, n-r) {
				k.store(r0+r+i, c0, k.acc[i*k.colBlock:i*k.colBlock+cols])
			}
		}
	}
}

// store requantizes the dot products of output row row with filter rows c0
// onward, skipping the padding rows past outC.
func (k *qconvKernel) store(row, c0 int, acc []int32) {
	cols := min(len(acc), k.outC-c0)
	out := k.output[row*k.outC+c0 : row*k.outC+c0+cols]
	k.rq.applyRow(acc[:cols], k.bias, c0, out)
}

// widenInt8Go stores src[i] - zero in dst[i] for every element of dst.
func widenInt8Go(src []int8, dst []int16, zero int32) {
	src = src[:len(dst)]
	for i, x := range src {
		dst[i] = int16(int32(x) - zero)
	}
}

// fillPatch writes x - xZero of the input window of output row row into
// dst in (ky, kx, channel) order, with 0 for padding.
func (k *qconvKernel) fillPatch(row int, dst []int16) {
	w := &k.win
	pixels := w.outH * w.outW
	inImage := w.inH * w.inW * k.inC
	in := k.input[(row/pixels)*inImage : (row/pixels+1)*inImage]
	oy, ox := (row%pixels)/w.outW, (row%pixels)%w.outW
	i := 0
	for ky := range w.kH {
		iy := oy*w.strideH - w.padTop + ky*w.dilH
		for kx := range w.kW {
			ix := ox*w.strideW - w.padLeft + kx*w.dilW
			seg := dst[i : i+k.inC]
			if iy < 0 || iy >= w.inH || ix < 0 || ix >= w.inW {
				clear(seg)
			} else {
				widenInt8(in[(iy*w.inW+ix)*k.inC:], seg, k.inZero)
			}
			i += k.inC
		}
	}
}
