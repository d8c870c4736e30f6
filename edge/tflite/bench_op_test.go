package tflite

import (
	"fmt"
	"testing"
)

// opBench is one operator at one size for BenchmarkOp. Sizes follow
// MobileNetV2 layers at 224x224 and 300x300 inputs.
type opBench struct {
	code        BuiltinOperator
	kind        string // a label for the variant, such as "1x1"
	hw, in, out int    // input height and width, input and output channels
	k, stride   int    // window size and stride of the convolutions
}

func (o opBench) name(typ TensorType) string {
	label := map[TensorType]string{Float32: "float", Int8: "int8"}[typ]
	if o.code == OpFullyConnected {
		return fmt.Sprintf("%s_%s_%d-%d", o.code, label, o.in, o.out)
	}
	s := fmt.Sprintf("%s_%s_", o.code, label)
	if o.kind != "" {
		s += o.kind + "_"
	}
	s += fmt.Sprintf("%dx%dx%d", o.hw, o.hw, o.in)
	if o.out != o.in {
		s += fmt.Sprintf("-%d", o.out)
	}
	return s
}

func opBenches() []opBench {
	return []opBench{
		{code: OpConv2D, kind: "1x1", hw: 56, in: 24, out: 144, k: 1, stride: 1},
		{code: OpConv2D, kind: "1x1", hw: 19, in: 64, out: 384, k: 1, stride: 1},
		{code: OpConv2D, kind: "1x1", hw: 7, in: 320, out: 1280, k: 1, stride: 1},
		{code: OpConv2D, kind: "3x3s2", hw: 224, in: 3, out: 32, k: 3, stride: 2},
		{code: OpConv2D, kind: "3x3s2", hw: 300, in: 3, out: 32, k: 3, stride: 2},
		{code: OpConv2D, kind: "3x3s1", hw: 28, in: 32, out: 32, k: 3, stride: 1},
		{code: OpDepthwiseConv2D, kind: "3x3s2", hw: 112, in: 96, out: 96, k: 3, stride: 2},
		{code: OpDepthwiseConv2D, kind: "3x3s1", hw: 38, in: 192, out: 192, k: 3, stride: 1},
		{code: OpDepthwiseConv2D, kind: "3x3s1", hw: 7, in: 960, out: 960, k: 3, stride: 1},
		{code: OpAdd, hw: 56, in: 24, out: 24},
		{code: OpAdd, hw: 19, in: 64, out: 64},
		{code: OpAdd, hw: 7, in: 160, out: 160},
		{code: OpMean, hw: 7, in: 1280, out: 1280},
		{code: OpMean, hw: 10, in: 1280, out: 1280},
		{code: OpFullyConnected, in: 1280, out: 128},
		{code: OpFullyConnected, in: 1280, out: 1000},
	}
}

// outHW returns the output height and width under SAME padding.
func (o opBench) outHW() int {
	if o.stride == 0 {
		return o.hw
	}
	return (o.hw + o.stride - 1) / o.stride
}

// macs returns the multiply-adds of one Invoke, or 0 for ADD and MEAN.
func (o opBench) macs() int {
	n := o.outHW() * o.outHW()
	switch o.code {
	case OpConv2D:
		return n * o.out * o.k * o.k * o.in
	case OpDepthwiseConv2D:
		return n * o.out * o.k * o.k
	case OpFullyConnected:
		return o.in * o.out
	}
	return 0
}

// benchModel is a one-operator model being built with FLOAT32 or INT8
// tensors and random weights.
type benchModel struct {
	b   *modelBuilder
	typ TensorType
}

// activation adds an activation tensor, quantized per tensor for INT8.
func (bm benchModel) activation(name string, shape []int, scale float32) int {
	var q *Quantization
	if bm.typ == Int8 {
		q = perTensor(scale, -3)
	}
	return bm.b.tensor(name, bm.typ, shape, q, nil)
}

// weights adds a constant filter with per-channel INT8 scales along dim,
// and its bias.
func (bm benchModel) weights(shape []int, dim int, inScale float32) (filter, bias int) {
	n, channels := mustElements(shape), shape[dim]
	if bm.typ == Float32 {
		filter = bm.b.tensor("filter", Float32, shape, nil, bm.b.randomFloatBytes(n, 0.1))
		bias = bm.b.tensor("bias", Float32, []int{channels}, nil,
			bm.b.randomFloatBytes(channels, 1))
		return filter, bias
	}
	scales := bm.b.randomScales(channels, 0.004)
	filter = bm.b.tensor("filter", Int8, shape, &Quantization{Scale: scales,
		ZeroPoint: make([]int64, channels), Dimension: dim}, bm.b.randomWeights(n))
	bias = bm.b.tensor("bias", Int32, []int{channels}, &Quantization{
		Scale: productScales(inScale, scales), ZeroPoint: make([]int64, channels)},
		bm.b.randomBias(channels, 3000))
	return filter, bias
}

func (o opBench) build(typ TensorType) (*Model, [][]byte) {
	bm := benchModel{b: newModelBuilder(1), typ: typ}
	const inScale = 0.02
	if o.code == OpFullyConnected {
		in := bm.activation("input", []int{1, o.in}, inScale)
		w, bias := bm.weights([]int{o.out, o.in}, 0, inScale)
		out := bm.activation("output", []int{1, o.out}, 0.05)
		bm.b.op(o.code, &FullyConnectedOptions{Activation: ActNone}, []int{in, w, bias},
			[]int{out})
		return bm.finish([]int{in}, out)
	}

	in := bm.activation("input", []int{1, o.hw, o.hw, o.in}, inScale)
	outShape := []int{1, o.outHW(), o.outHW(), o.out}
	switch o.code {
	case OpConv2D, OpDepthwiseConv2D:
		return o.buildConv(bm, in, outShape, inScale)
	case OpAdd:
		y := bm.activation("b", []int{1, o.hw, o.hw, o.in}, 0.03)
		out := bm.activation("sum", outShape, 0.04)
		bm.b.op(OpAdd, &ActivationOptions{}, []int{in, y}, []int{out})
		return bm.finish([]int{in, y}, out)
	}
	axes := bm.b.tensor("axes", Int32, []int{2}, nil, int32Bytes([]int{1, 2}))
	out := bm.activation("mean", []int{1, o.out}, 0.01)
	bm.b.op(OpMean, &ReducerOptions{}, []int{in, axes}, []int{out})
	return bm.finish([]int{in}, out)
}

func (o opBench) buildConv(bm benchModel, in int, outShape []int,
	inScale float32) (*Model, [][]byte) {
	out := bm.activation("output", outShape, 0.05)
	if o.code == OpDepthwiseConv2D {
		f, bias := bm.weights([]int{1, o.k, o.k, o.out}, 3, inScale)
		bm.b.op(o.code, &DepthwiseConv2DOptions{Padding: PaddingSame, StrideW: o.stride,
			StrideH: o.stride, DepthMultiplier: 1, Activation: ActRelu6, DilationW: 1,
			DilationH: 1}, []int{in, f, bias}, []int{out})
		return bm.finish([]int{in}, out)
	}
	f, bias := bm.weights([]int{o.out, o.k, o.k, o.in}, 0, inScale)
	bm.b.op(o.code, &Conv2DOptions{Padding: PaddingSame, StrideW: o.stride,
		StrideH: o.stride, Activation: ActRelu6, DilationW: 1, DilationH: 1},
		[]int{in, f, bias}, []int{out})
	return bm.finish([]int{in}, out)
}

// finish completes the model and returns random bytes for its inputs.
func (bm benchModel) finish(inputs []int, out int) (*Model, [][]byte) {
	m := bm.b.finish(inputs, []int{out})
	var data [][]byte
	for _, t := range inputs {
		n := mustElements(m.Tensors[t].Shape)
		if bm.typ == Float32 {
			data = append(data, bm.b.randomFloatBytes(n, 1))
		} else {
			data = append(data, bm.b.randomBytes(n))
		}
	}
	return m, data
}

// BenchmarkOp times one operator per type and size, in the interpreter's
// default mode, on one goroutine. Convolutions and FULLY_CONNECTED also
// report multiply-adds per second.
func BenchmarkOp(b *testing.B) {
	for _, o := range opBenches() {
		for _, typ := range []TensorType{Int8, Float32} {
			b.Run(o.name(typ), func(b *testing.B) { benchOp(b, o, typ) })
		}
	}
}

func benchOp(b *testing.B, o opBench, typ TensorType) {
	model, inputs := o.build(typ)
	data, err := Encode(model)
	if err != nil {
		b.Fatal(err)
	}
	in := newOpInterpreter(b, data, Options{})
	for i, d := range inputs {
		if err := in.SetInputBytes(i, d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := in.Invoke(); err != nil {
			b.Fatal(err)
		}
	}
	if macs := o.macs(); macs > 0 {
		b.ReportMetric(float64(macs)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GMAC/s")
	}
}
