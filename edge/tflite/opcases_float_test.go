package tflite

import "fmt"

// floatTolerance is the per-value tolerance of FLOAT32 cases, relative to
// max(1, |expected|). The runtime may approximate exp and tanh differently
// and sum in another order, while these kernels compute exp and tanh in
// float64 and round once.
const floatTolerance = 1e-5

// floatInput adds a FLOAT32 graph input and returns its index and random
// data in [-scale, scale].
func (b *modelBuilder) floatInput(name string, shape []int, scale float32) (int, []byte) {
	return b.tensor(name, Float32, shape, nil, nil), b.randomFloatBytes(mustElements(shape), scale)
}

func floatCase(name string, b *modelBuilder, inputs, outputs []int, data ...[]byte) opCase {
	return opCase{name: name, model: b.finish(inputs, outputs), inputs: data,
		tolerance: floatTolerance}
}

func binaryCase(code BuiltinOperator, a, bShape, outShape []int, act Activation, constB bool,
	seed uint64) opCase {
	b := newModelBuilder(seed)
	x, xd := b.floatInput("a", a, 4)
	name := fmt.Sprintf("%s_%s_%s_%s", code, shapeName(a), shapeName(bShape), act)
	var y int
	var yd []byte
	if constB {
		y = b.tensor("b", Float32, bShape, nil, b.randomFloatBytes(mustElements(bShape), 2))
		name += "_const"
	} else {
		y, yd = b.floatInput("b", bShape, 3)
	}
	out := b.tensor("output", Float32, outShape, nil, nil)
	b.op(code, &ActivationOptions{Activation: act}, []int{x, y}, []int{out})
	if constB {
		return floatCase(name, b, []int{x}, []int{out}, xd)
	}
	return floatCase(name, b, []int{x, y}, []int{out}, xd, yd)
}

func unaryCase(code BuiltinOperator, seed uint64) opCase {
	b := newModelBuilder(seed)
	shape := []int{1, 4, 5, 6}
	x, xd := b.floatInput("input", shape, 8)
	out := b.tensor("output", Float32, shape, nil, nil)
	var options any
	if code == OpHardSwish {
		options = &EmptyOptions{Type: optHardSwish}
	}
	b.op(code, options, []int{x}, []int{out})
	return floatCase(code.String(), b, []int{x}, []int{out}, xd)
}

func softmaxCase(shape []int, beta float32, seed uint64) opCase {
	b := newModelBuilder(seed)
	x, xd := b.floatInput("input", shape, 6)
	out := b.tensor("output", Float32, shape, nil, nil)
	b.op(OpSoftmax, &SoftmaxOptions{Beta: beta}, []int{x}, []int{out})
	return floatCase(fmt.Sprintf("SOFTMAX_%s_beta%g", shapeName(shape), beta), b,
		[]int{x}, []int{out}, xd)
}

func squeezeCase(in, dims, outShape []int, seed uint64) opCase {
	b := newModelBuilder(seed)
	x, xd := b.floatInput("input", in, 5)
	out := b.tensor("output", Float32, outShape, nil, nil)
	b.op(OpSqueeze, &SqueezeOptions{SqueezeDims: dims}, []int{x}, []int{out})
	return floatCase(fmt.Sprintf("SQUEEZE_%s_to_%s", shapeName(in), shapeName(outShape)), b,
		[]int{x}, []int{out}, xd)
}

func transposeCase(in, perm []int, seed uint64) opCase {
	b := newModelBuilder(seed)
	x, xd := b.floatInput("input", in, 5)
	outShape := make([]int, len(perm))
	for i, p := range perm {
		outShape[i] = in[p]
	}
	p := b.tensor("perm", Int32, []int{len(perm)}, nil, int32Bytes(perm))
	out := b.tensor("output", Float32, outShape, nil, nil)
	b.op(OpTranspose, &EmptyOptions{Type: optTranspose}, []int{x, p}, []int{out})
	return floatCase(fmt.Sprintf("TRANSPOSE_%s_perm%s", shapeName(in), shapeName(perm)), b,
		[]int{x}, []int{out}, xd)
}

// sliceCase describes one STRIDED_SLICE case and the output shape that
// TFLite's rules give for it.
type sliceCase struct {
	name                     string
	in, begin, end, strides  []int
	beginMask, endMask, shrk int
	out                      []int
}

func (s sliceCase) build(seed uint64) opCase {
	b := newModelBuilder(seed)
	x, xd := b.floatInput("input", s.in, 5)
	n := []int{len(s.in)}
	begin := b.tensor("begin", Int32, n, nil, int32Bytes(s.begin))
	end := b.tensor("end", Int32, n, nil, int32Bytes(s.end))
	strides := b.tensor("strides", Int32, n, nil, int32Bytes(s.strides))
	out := b.tensor("output", Float32, s.out, nil, nil)
	b.op(OpStridedSlice, &StridedSliceOptions{BeginMask: s.beginMask, EndMask: s.endMask,
		ShrinkAxisMask: s.shrk}, []int{x, begin, end, strides}, []int{out})
	return floatCase("STRIDED_SLICE_"+s.name, b, []int{x}, []int{out}, xd)
}

func sliceCases() []sliceCase {
	return []sliceCase{
		{name: "steps", in: []int{1, 6, 7, 5}, begin: []int{0, 1, -5, 0},
			end: []int{1, 6, 7, 5}, strides: []int{1, 2, 1, 2}, out: []int{1, 3, 5, 3}},
		{name: "masks_shrink", in: []int{2, 5, 6}, begin: []int{1, 9, 2}, end: []int{0, -9, 4},
			strides: []int{1, 1, 1}, beginMask: 2, endMask: 2, shrk: 1, out: []int{5, 2}},
		{name: "reverse", in: []int{4, 7}, begin: []int{-1, 6}, end: []int{-5, 0},
			strides: []int{-1, -3}, out: []int{4, 2}},
		{name: "clamped", in: []int{3, 8}, begin: []int{-10, 2}, end: []int{10, 100},
			strides: []int{2, 3}, endMask: 0, out: []int{2, 2}},
	}
}

func resizeCase(in []int, h, w int, opts ResizeBilinearOptions, seed uint64) opCase {
	b := newModelBuilder(seed)
	x, xd := b.floatInput("input", in, 5)
	size := b.tensor("size", Int32, []int{2}, nil, int32Bytes([]int{h, w}))
	out := b.tensor("output", Float32, []int{in[0], h, w, in[3]}, nil, nil)
	b.op(OpResizeBilinear, &opts, []int{x, size}, []int{out})
	name := fmt.Sprintf("RESIZE_BILINEAR_%s_to_%dx%d", shapeName(in), h, w)
	if opts.AlignCorners {
		name += "_align"
	}
	if opts.HalfPixelCenters {
		name += "_halfpixel"
	}
	return floatCase(name, b, []int{x}, []int{out}, xd)
}

// floatOpCases returns every FLOAT32 case.
func floatOpCases() []opCase {
	cases := []opCase{
		binaryCase(OpSub, []int{1, 4, 4, 8}, []int{8}, []int{1, 4, 4, 8}, ActRelu, false, 200),
		binaryCase(OpSub, []int{2, 3, 1}, []int{1, 5}, []int{2, 3, 5}, ActNone, false, 201),
		binaryCase(OpSub, []int{1, 3, 4, 6}, []int{1, 3, 4, 6}, []int{1, 3, 4, 6}, ActNone,
			true, 202),
		binaryCase(OpMul, []int{1, 4, 4, 8}, []int{1, 4, 4, 8}, []int{1, 4, 4, 8}, ActRelu6,
			false, 203),
		binaryCase(OpMul, []int{1, 3, 4, 6}, []int{6}, []int{1, 3, 4, 6}, ActNone, true, 204),
		binaryCase(OpMul, []int{2, 1, 5}, []int{3, 1}, []int{2, 3, 5}, ActReluN1To1, false, 205),
		softmaxCase([]int{2, 10}, 1, 210),
		softmaxCase([]int{1, 5, 7}, 0.5, 211),
		squeezeCase([]int{1, 1, 1, 7}, []int{1, 2}, []int{1, 7}, 220),
		squeezeCase([]int{1, 3, 1, 4}, nil, []int{3, 4}, 221),
		transposeCase([]int{2, 3, 4, 5}, []int{0, 3, 1, 2}, 230),
		transposeCase([]int{1, 6, 7}, []int{2, 1, 0}, 231),
		resizeCase([]int{1, 5, 6, 3}, 9, 11, ResizeBilinearOptions{}, 240),
		resizeCase([]int{1, 5, 6, 3}, 9, 11, ResizeBilinearOptions{AlignCorners: true}, 241),
		resizeCase([]int{2, 6, 4, 2}, 3, 7, ResizeBilinearOptions{HalfPixelCenters: true}, 242),
	}
	for i, code := range []BuiltinOperator{OpLogistic, OpTanh, OpHardSwish, OpRelu, OpRelu6} {
		cases = append(cases, unaryCase(code, uint64(250+i)))
	}
	for i, s := range sliceCases() {
		cases = append(cases, s.build(uint64(260+i)))
	}
	return cases
}
