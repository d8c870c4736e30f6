package tflite

import "fmt"

// quantConvCase describes a quantized CONV_2D or DEPTHWISE_CONV_2D case.
type quantConvCase struct {
	typ              TensorType
	depthwise        bool
	in               []int // NHWC
	kH, kW, outC     int
	pad              Padding
	strideH, strideW int
	dil              int
	act              Activation
	perChannel       bool
}

func (q quantConvCase) name() string {
	kind := "conv"
	if q.depthwise {
		kind = "depthwise"
	}
	return fmt.Sprintf("%s_%s_%dx%d_s%d%d_d%d_%s_%s", kind, q.typ, q.kH, q.kW,
		q.strideH, q.strideW, q.dil, padName(q.pad), q.act)
}

func padName(p Padding) string {
	if p == PaddingValid {
		return "valid"
	}
	return "same"
}

// zeroPoints returns the zero points of an activation of type typ: INT8
// activations use z, UINT8 ones 128 + z.
func zeroPoint(typ TensorType, z int64) int64 {
	if typ == Uint8 {
		return 128 + z
	}
	return z
}

func (q quantConvCase) build(seed uint64) opCase {
	b := newModelBuilder(seed)
	inScale, outScale := float32(0.02), float32(0.05)
	in := b.tensor("input", q.typ, q.in, perTensor(inScale, zeroPoint(q.typ, -3)), nil)

	fshape := []int{q.outC, q.kH, q.kW, q.in[3]}
	dim := 0
	if q.depthwise {
		fshape, dim = []int{1, q.kH, q.kW, q.outC}, 3
	}
	channels := 1
	if q.perChannel {
		channels = q.outC
	}
	wScales := b.randomScales(channels, 0.004)
	wq := &Quantization{Scale: wScales, ZeroPoint: make([]int64, channels), Dimension: dim}
	wdata := b.randomWeights(mustElements(fshape))
	if q.typ == Uint8 {
		wq.ZeroPoint = []int64{131}
		wdata = b.randomBytes(mustElements(fshape))
	}
	filter := b.tensor("filter", q.typ, fshape, wq, wdata)
	bq := &Quantization{Scale: productScales(inScale, wScales), ZeroPoint: make([]int64, channels)}
	bias := b.tensor("bias", Int32, []int{q.outC}, bq, b.randomBias(q.outC, 3000))

	outH := windowOut(q.in[1], q.kH, q.strideH, q.dil, q.pad)
	outW := windowOut(q.in[2], q.kW, q.strideW, q.dil, q.pad)
	out := b.tensor("output", q.typ, []int{q.in[0], outH, outW, q.outC},
		perTensor(outScale, zeroPoint(q.typ, 5)), nil)

	if q.depthwise {
		b.op(OpDepthwiseConv2D, &DepthwiseConv2DOptions{Padding: q.pad, StrideW: q.strideW,
			StrideH: q.strideH, DepthMultiplier: q.outC / q.in[3], Activation: q.act,
			DilationW: q.dil, DilationH: q.dil}, []int{in, filter, bias}, []int{out})
	} else {
		b.op(OpConv2D, &Conv2DOptions{Padding: q.pad, StrideW: q.strideW, StrideH: q.strideH,
			Activation: q.act, DilationW: q.dil, DilationH: q.dil},
			[]int{in, filter, bias}, []int{out})
	}
	m := b.finish([]int{in}, []int{out})
	return opCase{name: q.name(), model: m, inputs: [][]byte{b.randomBytes(mustElements(q.in))},
		xnnpack: true}
}

// shapeName formats a shape for a file name, such as "1x4x4x8".
func shapeName(shape []int) string {
	s := ""
	for i, d := range shape {
		if i > 0 {
			s += "x"
		}
		s += fmt.Sprint(d)
	}
	return s
}

// windowOut returns the output size of one axis under SAME or VALID.
func windowOut(in, k, stride, dil int, pad Padding) int {
	if pad == PaddingValid {
		return (in - (k-1)*dil - 1 + stride) / stride
	}
	return (in + stride - 1) / stride
}

func quantConvCases() []quantConvCase {
	return []quantConvCase{
		{typ: Int8, in: []int{1, 7, 7, 5}, kH: 3, kW: 3, outC: 6, pad: PaddingSame,
			strideH: 1, strideW: 1, dil: 1, act: ActNone, perChannel: true},
		{typ: Int8, in: []int{1, 8, 9, 4}, kH: 3, kW: 3, outC: 8, pad: PaddingSame,
			strideH: 2, strideW: 2, dil: 1, act: ActRelu6, perChannel: true},
		{typ: Int8, in: []int{2, 9, 8, 3}, kH: 3, kW: 2, outC: 4, pad: PaddingValid,
			strideH: 2, strideW: 1, dil: 1, act: ActRelu, perChannel: true},
		{typ: Int8, in: []int{1, 9, 9, 4}, kH: 3, kW: 3, outC: 5, pad: PaddingSame,
			strideH: 1, strideW: 1, dil: 2, act: ActNone, perChannel: true},
		{typ: Int8, in: []int{1, 6, 6, 16}, kH: 1, kW: 1, outC: 24, pad: PaddingValid,
			strideH: 1, strideW: 1, dil: 1, act: ActRelu6, perChannel: true},
		{typ: Int8, in: []int{1, 6, 5, 3}, kH: 3, kW: 3, outC: 4, pad: PaddingSame,
			strideH: 1, strideW: 1, dil: 1, act: ActReluN1To1, perChannel: false},
		{typ: Uint8, in: []int{1, 7, 7, 3}, kH: 3, kW: 3, outC: 4, pad: PaddingSame,
			strideH: 2, strideW: 2, dil: 1, act: ActRelu6},
		{typ: Uint8, in: []int{1, 5, 6, 4}, kH: 1, kW: 1, outC: 6, pad: PaddingValid,
			strideH: 1, strideW: 1, dil: 1, act: ActNone},
		{typ: Int8, depthwise: true, in: []int{1, 8, 8, 6}, kH: 3, kW: 3, outC: 6,
			pad: PaddingSame, strideH: 1, strideW: 1, dil: 1, act: ActRelu6, perChannel: true},
		{typ: Int8, depthwise: true, in: []int{1, 9, 8, 4}, kH: 3, kW: 3, outC: 4,
			pad: PaddingSame, strideH: 2, strideW: 2, dil: 1, act: ActNone, perChannel: true},
		{typ: Int8, depthwise: true, in: []int{1, 7, 7, 3}, kH: 3, kW: 3, outC: 6,
			pad: PaddingValid, strideH: 1, strideW: 1, dil: 1, act: ActRelu, perChannel: true},
		{typ: Int8, depthwise: true, in: []int{1, 9, 9, 4}, kH: 3, kW: 3, outC: 4,
			pad: PaddingSame, strideH: 1, strideW: 1, dil: 2, act: ActNone, perChannel: true},
		{typ: Uint8, depthwise: true, in: []int{1, 8, 8, 5}, kH: 3, kW: 3, outC: 5,
			pad: PaddingSame, strideH: 2, strideW: 2, dil: 1, act: ActRelu6},
	}
}

func quantFullyConnectedCase(typ TensorType, seed uint64) opCase {
	b := newModelBuilder(seed)
	inScale := float32(0.03)
	in := b.tensor("input", typ, []int{2, 40}, perTensor(inScale, zeroPoint(typ, 2)), nil)
	wScale := []float32{0.006}
	wq := &Quantization{Scale: wScale, ZeroPoint: []int64{0}}
	wdata := b.randomWeights(10 * 40)
	if typ == Uint8 {
		wq.ZeroPoint = []int64{125}
		wdata = b.randomBytes(10 * 40)
	}
	w := b.tensor("weights", typ, []int{10, 40}, wq, wdata)
	bias := b.tensor("bias", Int32, []int{10},
		&Quantization{Scale: productScales(inScale, wScale), ZeroPoint: []int64{0}},
		b.randomBias(10, 2000))
	out := b.tensor("output", typ, []int{2, 10}, perTensor(0.1, zeroPoint(typ, -7)), nil)
	b.op(OpFullyConnected, &FullyConnectedOptions{Activation: ActRelu},
		[]int{in, w, bias}, []int{out})
	return opCase{name: "fully_connected_" + typ.String(), model: b.finish([]int{in}, []int{out}),
		inputs: [][]byte{b.randomBytes(80)}, xnnpack: true}
}

// quantTiesCase builds a CONV_2D, DEPTHWISE_CONV_2D or FULLY_CONNECTED
// operator with one input value per output, a weight of 1 and a
// requantization multiplier of exactly 1/4, so that the 256 outputs cover
// every rounding tie of the output scaling.
func quantTiesCase(typ TensorType, code BuiltinOperator) opCase {
	b := newModelBuilder(0)
	shape, wshape := []int{256, 1}, []int{1, 1}
	var options any = &FullyConnectedOptions{}
	switch code {
	case OpConv2D:
		shape, wshape = []int{1, 16, 16, 1}, []int{1, 1, 1, 1}
		options = &Conv2DOptions{Padding: PaddingValid, StrideW: 1, StrideH: 1,
			DilationW: 1, DilationH: 1}
	case OpDepthwiseConv2D:
		shape, wshape = []int{1, 16, 16, 1}, []int{1, 1, 1, 1}
		options = &DepthwiseConv2DOptions{Padding: PaddingValid, StrideW: 1, StrideH: 1,
			DepthMultiplier: 1, DilationW: 1, DilationH: 1}
	}
	in := b.tensor("input", typ, shape, perTensor(0.5, zeroPoint(typ, 0)), nil)
	weight := []byte{1}
	wq := &Quantization{Scale: []float32{0.5}, ZeroPoint: []int64{0}}
	if typ == Uint8 {
		weight, wq.ZeroPoint = []byte{129}, []int64{128}
	}
	w := b.tensor("weights", typ, wshape, wq, weight)
	bias := b.tensor("bias", Int32, []int{1}, perTensor(0.25, 0), make([]byte, 4))
	out := b.tensor("output", typ, shape, perTensor(1, zeroPoint(typ, 0)), nil)
	b.op(code, options, []int{in, w, bias}, []int{out})
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	return opCase{name: fmt.Sprintf("ties_%s_%s", code, typ),
		model: b.finish([]int{in}, []int{out}), inputs: [][]byte{all}, xnnpack: true}
}

func quantAddCase(typ TensorType, a, bShape, outShape []int, act Activation,
	seed uint64) opCase {
	b := newModelBuilder(seed)
	x := b.tensor("a", typ, a, perTensor(0.031, zeroPoint(typ, 4)), nil)
	y := b.tensor("b", typ, bShape, perTensor(0.017, zeroPoint(typ, -9)), nil)
	out := b.tensor("sum", typ, outShape, perTensor(0.043, zeroPoint(typ, 1)), nil)
	b.op(OpAdd, &ActivationOptions{Activation: act}, []int{x, y}, []int{out})
	return opCase{name: fmt.Sprintf("add_%s_%s_%s_%s", typ, shapeName(a), shapeName(bShape), act),
		model:  b.finish([]int{x, y}, []int{out}),
		inputs: [][]byte{b.randomBytes(mustElements(a)), b.randomBytes(mustElements(bShape))}}
}

func quantPoolCase(typ TensorType, code BuiltinOperator, pad Padding, k, stride int,
	seed uint64) opCase {
	b := newModelBuilder(seed)
	shape := []int{1, 7, 8, 5}
	q := perTensor(0.02, zeroPoint(typ, -1))
	in := b.tensor("input", typ, shape, q, nil)
	outShape := []int{1, windowOut(7, k, stride, 1, pad), windowOut(8, k, stride, 1, pad), 5}
	out := b.tensor("output", typ, outShape, q, nil)
	b.op(code, &Pool2DOptions{Padding: pad, StrideW: stride, StrideH: stride, FilterWidth: k,
		FilterHeight: k}, []int{in}, []int{out})
	return opCase{name: fmt.Sprintf("%s_%s_%dx%d_s%d_%s", code, typ, k, k, stride, padName(pad)),
		model: b.finish([]int{in}, []int{out}), inputs: [][]byte{b.randomBytes(mustElements(shape))}}
}

func quantizeCase(typ TensorType, seed uint64) opCase {
	b := newModelBuilder(seed)
	in := b.tensor("input", Float32, []int{1, 300}, nil, nil)
	out := b.tensor("output", typ, []int{1, 300}, perTensor(0.0123, zeroPoint(typ, 3)), nil)
	b.op(OpQuantize, &EmptyOptions{Type: optQuantize}, []int{in}, []int{out})
	return opCase{name: "quantize_" + typ.String(), model: b.finish([]int{in}, []int{out}),
		inputs: [][]byte{b.randomFloatBytes(300, 2)}}
}

func dequantizeCase(typ TensorType, seed uint64) opCase {
	b := newModelBuilder(seed)
	in := b.tensor("input", typ, []int{1, 256}, perTensor(0.0371, zeroPoint(typ, -6)), nil)
	out := b.tensor("output", Float32, []int{1, 256}, nil, nil)
	b.op(OpDequantize, &EmptyOptions{Type: optDequantize}, []int{in}, []int{out})
	return opCase{name: "dequantize_" + typ.String(), model: b.finish([]int{in}, []int{out}),
		inputs: [][]byte{b.randomBytes(256)}}
}

// quantOpCases returns every quantized case.
func quantOpCases() []opCase {
	var cases []opCase
	for i, q := range quantConvCases() {
		cases = append(cases, q.build(uint64(100+i)))
	}
	cases = append(cases,
		quantFullyConnectedCase(Int8, 1), quantFullyConnectedCase(Uint8, 2),
		quantTiesCase(Int8, OpFullyConnected), quantTiesCase(Uint8, OpFullyConnected),
		quantTiesCase(Int8, OpConv2D), quantTiesCase(Uint8, OpConv2D),
		quantTiesCase(Int8, OpDepthwiseConv2D), quantTiesCase(Uint8, OpDepthwiseConv2D),
		quantAddCase(Int8, []int{1, 4, 4, 8}, []int{1, 4, 4, 8}, []int{1, 4, 4, 8}, ActNone, 3),
		quantAddCase(Int8, []int{1, 3, 4, 6}, []int{6}, []int{1, 3, 4, 6}, ActRelu6, 4),
		quantAddCase(Int8, []int{2, 1, 5}, []int{3, 1}, []int{2, 3, 5}, ActNone, 5),
		quantAddCase(Uint8, []int{1, 4, 4, 8}, []int{1, 4, 4, 8}, []int{1, 4, 4, 8}, ActRelu, 6),
		quantPoolCase(Int8, OpAveragePool2D, PaddingSame, 3, 2, 7),
		quantPoolCase(Int8, OpAveragePool2D, PaddingValid, 2, 2, 8),
		quantPoolCase(Int8, OpAveragePool2D, PaddingSame, 3, 1, 9),
		quantPoolCase(Uint8, OpAveragePool2D, PaddingSame, 2, 1, 10),
		quantPoolCase(Int8, OpMaxPool2D, PaddingSame, 3, 2, 11),
		quantizeCase(Int8, 12), quantizeCase(Uint8, 13),
		dequantizeCase(Int8, 14), dequantizeCase(Uint8, 15),
		quantMeanCase(Int8, []int{1, 7, 7, 16}, true, 16),
		quantMeanCase(Int8, []int{2, 5, 3, 6}, false, 17),
		quantMeanCase(Uint8, []int{1, 10, 10, 8}, true, 18),
	)
	return cases
}

// quantMeanCase averages a [N, H, W, C] tensor over H and W with constant
// axes, as real models have them. There is no _builtin twin with the axes
// as a graph input, because that gives the output a dynamic shape, and
// make_ops.js reads output buffers bound before Infer.
func quantMeanCase(typ TensorType, shape []int, keepDims bool, seed uint64) opCase {
	b := newModelBuilder(seed)
	in := b.tensor("input", typ, shape, perTensor(0.037, zeroPoint(typ, -5)), nil)
	axes := b.tensor("axes", Int32, []int{2}, nil, int32Bytes([]int{1, 2}))
	outShape := []int{shape[0], shape[3]}
	if keepDims {
		outShape = []int{shape[0], 1, 1, shape[3]}
	}
	out := b.tensor("output", typ, outShape, perTensor(0.021, zeroPoint(typ, 7)), nil)
	b.op(OpMean, &ReducerOptions{KeepDims: keepDims}, []int{in, axes}, []int{out})
	return opCase{name: fmt.Sprintf("MEAN_%s_%s_keep%v", typ, shapeName(shape), keepDims),
		model:  b.finish([]int{in}, []int{out}),
		inputs: [][]byte{b.randomBytes(mustElements(shape))}}
}
