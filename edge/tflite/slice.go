package tflite

// sliceAxis is the range that STRIDED_SLICE takes along one input axis.
type sliceAxis struct {
	start, count, stride int
	shrink               bool
}

func buildStridedSlice(c *opContext) (kernel, error) {
	opts, _ := c.op.Options.(*StridedSliceOptions)
	if opts == nil {
		opts = &StridedSliceOptions{}
	}
	if opts.EllipsisMask != 0 || opts.NewAxisMask != 0 {
		return nil, c.unsupported(-1, "ellipsis_mask %d and new_axis_mask %d, only 0 is supported",
			opts.EllipsisMask, opts.NewAxisMask)
	}
	if err := c.checkInputs(4, 4); err != nil {
		return nil, err
	}
	input, err := c.floats(c.input(0))
	if err != nil {
		return nil, err
	}
	axes, err := sliceAxes(c, opts)
	if err != nil {
		return nil, err
	}
	return bindSlice(c, input, axes)
}

// sliceAxes reads the begin, end and strides inputs and resolves them per
// axis with the masks, as TFLite does: negative indices count from the end,
// and out-of-range ones are clamped.
func sliceAxes(c *opContext, opts *StridedSliceOptions) ([]sliceAxis, error) {
	shape := c.shape(c.input(0))
	var params [3][]int
	for k := range params {
		v, err := c.ints(c.input(k + 1))
		if err != nil {
			return nil, err
		}
		if len(v) != len(shape) {
			return nil, c.malformed("input %d has %d values for input rank %d",
				k+1, len(v), len(shape))
		}
		params[k] = v
	}

	axes := make([]sliceAxis, len(shape))
	for d, dim := range shape {
		stride := params[2][d]
		if stride == 0 {
			return nil, c.malformed("stride of axis %d is 0", d)
		}
		bit := 1 << d
		start := sliceBound(params[0][d], dim, stride, opts.BeginMask&bit != 0, true)
		stop := sliceBound(params[1][d], dim, stride, opts.EndMask&bit != 0, false)
		shrink := opts.ShrinkAxisMask&bit != 0
		if shrink {
			stop = start + 1
			stride = 1
		}
		axes[d] = sliceAxis{start: start, stride: stride, shrink: shrink,
			count: sliceCount(start, stop, stride)}
		if shrink && (start < 0 || start >= dim) {
			return nil, c.malformed("shrunk axis %d index %d out of range [0, %d)", d,
				params[0][d], dim)
		}
	}
	return axes, nil
}

// sliceBound resolves a begin (isBegin) or end index of an axis of size dim.
func sliceBound(v, dim, stride int, masked, isBegin bool) int {
	if masked {
		switch {
		case stride > 0 && isBegin:
			return 0
		case stride > 0:
			return dim
		case isBegin:
			return dim - 1
		}
		return -1
	}
	if v < 0 {
		v += dim
	}
	if stride > 0 {
		return min(max(v, 0), dim)
	}
	return min(max(v, -1), dim-1)
}

// sliceCount returns the number of indices start, start+stride, ... before
// stop.
func sliceCount(start, stop, stride int) int {
	if stride > 0 {
		return max(0, (stop-start+stride-1)/stride)
	}
	return max(0, (start-stop-stride-1)/-stride)
}

func bindSlice(c *opContext, input []float32, axes []sliceAxis) (kernel, error) {
	inStrides := rowMajorStrides(c.shape(c.input(0)))
	shape := make([]int, len(axes))
	strides := make([]int, len(axes))
	var outShape []int
	start := 0
	for d, a := range axes {
		shape[d], strides[d] = a.count, a.stride*inStrides[d]
		start += a.start * inStrides[d]
		if !a.shrink {
			outShape = append(outShape, a.count)
		}
	}
	if err := c.checkOutput(outShape); err != nil {
		return nil, err
	}
	output, _ := c.output()
	if len(output) == 0 {
		start = 0
	}
	return newGatherKernel(input, output, shape, strides, start), nil
}
