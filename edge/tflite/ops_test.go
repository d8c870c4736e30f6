package tflite

import (
	"encoding/binary"
	"math"
	"slices"
	"testing"
)

// binaryGraph builds op(input 0, input 1) -> tensor 2 with both inputs fed
// at run time.
func binaryGraph(op testOp, a, b, out []int) testGraph {
	op.inputs, op.outputs = []int{0, 1}, []int{2}
	return testGraph{
		tensors: []testTensor{{name: "a", shape: a}, {name: "b", shape: b}, {name: "out", shape: out}},
		ops:     []testOp{op},
		inputs:  []int{0, 1}, outputs: []int{2},
	}
}

// naiveBroadcastAdd adds with NumPy broadcasting by mapping each output
// index to both operands, independently of the kernel's stride walk.
func naiveBroadcastAdd(a []float32, as []int, b []float32, bs []int, out []int) []float32 {
	res := make([]float32, product(out))
	index := make([]int, len(out))
	for i := range res {
		rem := i
		for d := len(out) - 1; d >= 0; d-- {
			index[d] = rem % out[d]
			rem /= out[d]
		}
		res[i] = a[flatIndex(index, as)] + b[flatIndex(index, bs)]
	}
	return res
}

// flatIndex maps an output index onto a right-aligned operand shape,
// reading index 0 on dimensions of size 1.
func flatIndex(index, shape []int) int {
	off := len(index) - len(shape)
	flat := 0
	for d, n := range shape {
		i := index[off+d]
		if n == 1 {
			i = 0
		}
		flat = flat*n + i
	}
	return flat
}

func TestAdd(t *testing.T) {
	cases := []struct {
		name       string
		a, b, want []int
		act        Activation
	}{
		{name: "equal shapes", a: []int{1, 3, 4, 5}, b: []int{1, 3, 4, 5}, want: []int{1, 3, 4, 5}},
		{name: "equal shapes relu6", a: []int{2, 7}, b: []int{2, 7}, want: []int{2, 7}, act: ActRelu6},
		{name: "scalar right", a: []int{2, 3, 4}, b: []int{1}, want: []int{2, 3, 4}},
		{name: "scalar left", a: []int{1}, b: []int{5, 2}, want: []int{5, 2}},
		{name: "channel vector", a: []int{1, 2, 3, 4}, b: []int{4}, want: []int{1, 2, 3, 4}},
		{name: "both broadcast", a: []int{2, 1, 3}, b: []int{1, 4, 1}, want: []int{2, 4, 3}, act: ActRelu},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := rampFloats(product(c.a), float32(i))
			b := rampFloats(product(c.b), -3)
			op := testOp{code: OpAdd, optionsType: optAdd, options: fbTableNode{fU8(0, uint8(c.act))}}
			got, shape := runGraph(t, binaryGraph(op, c.a, c.b, c.want), a, b)

			want := naiveBroadcastAdd(a, c.a, b, c.b, c.want)
			lo, hi := activationBounds(c.act)
			for i := range want {
				want[i] = min(max(want[i], lo), hi)
			}
			if !slices.Equal(shape, c.want) {
				t.Fatalf("shape %v, expected %v", shape, c.want)
			}
			checkClose(t, got, want, 0)
		})
	}
}

// rampFloats returns n values starting at start, stepping by 0.5.
func rampFloats(n int, start float32) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = start + 0.5*float32(i)
	}
	return v
}

func TestConcatenation(t *testing.T) {
	cases := []struct {
		name      string
		axis      int
		a, b, out []int
		want      []float32
	}{
		{name: "axis 0", axis: 0, a: []int{1, 2}, b: []int{2, 2}, out: []int{3, 2},
			want: []float32{0, 1, 10, 11, 12, 13}},
		{name: "last axis", axis: 1, a: []int{2, 1}, b: []int{2, 2}, out: []int{2, 3},
			want: []float32{0, 10, 11, 1, 12, 13}},
		{name: "negative axis", axis: -2, a: []int{1, 1, 2}, b: []int{1, 2, 2}, out: []int{1, 3, 2},
			want: []float32{0, 1, 10, 11, 12, 13}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := countFrom(product(c.a), 0)
			b := countFrom(product(c.b), 10)
			op := testOp{code: OpConcatenation, optionsType: optConcatenation,
				options: fbTableNode{fI32(0, int32(c.axis))}}
			got, _ := runGraph(t, binaryGraph(op, c.a, c.b, c.out), a, b)
			checkClose(t, got, c.want, 0)
		})
	}
}

// countFrom returns n consecutive values starting at start.
func countFrom(n int, start float32) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = start + float32(i)
	}
	return v
}

func TestPad(t *testing.T) {
	g := testGraph{
		tensors: []testTensor{
			{name: "input", shape: []int{1, 2, 2, 1}},
			{name: "paddings", typ: Int32, shape: []int{4, 2},
				data: int32Bytes([]int{0, 0, 1, 0, 0, 2, 0, 0})},
			{name: "output", shape: []int{1, 3, 4, 1}},
		},
		ops:    []testOp{{code: OpPad, inputs: []int{0, 1}, outputs: []int{2}}},
		inputs: []int{0}, outputs: []int{2},
	}
	got, _ := runGraph(t, g, []float32{1, 2, 3, 4})
	want := []float32{
		0, 0, 0, 0,
		1, 2, 0, 0,
		3, 4, 0, 0,
	}
	checkClose(t, got, want, 0)
}

func TestReshape(t *testing.T) {
	g := testGraph{
		tensors: []testTensor{
			{name: "input", shape: []int{1, 2, 3}},
			{name: "shape", typ: Int32, shape: []int{2}, data: int32Bytes([]int{3, 2})},
			{name: "output", shape: []int{3, 2}},
		},
		ops:    []testOp{{code: OpReshape, inputs: []int{0, 1}, outputs: []int{2}}},
		inputs: []int{0}, outputs: []int{2},
	}
	in := []float32{1, 2, 3, 4, 5, 6}
	got, shape := runGraph(t, g, in)
	checkClose(t, got, in, 0)
	if !slices.Equal(shape, []int{3, 2}) {
		t.Errorf("shape %v, expected [3 2]", shape)
	}
}

func TestPool2D(t *testing.T) {
	// 1x3x3x1 input 1..9 with a 2x2 window, stride 2 and SAME padding: the
	// edge windows hold fewer inputs, and the average counts only those.
	in := []float32{1, 2, 3, 4, 5, 6, 7, 8, 9}
	cases := []struct {
		name string
		code BuiltinOperator
		want []float32
	}{
		{name: "average", code: OpAveragePool2D, want: []float32{3, 4.5, 7.5, 9}},
		{name: "max", code: OpMaxPool2D, want: []float32{5, 6, 8, 9}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := testGraph{
				tensors: []testTensor{{name: "in", shape: []int{1, 3, 3, 1}},
					{name: "out", shape: []int{1, 2, 2, 1}}},
				ops: []testOp{{code: c.code, inputs: []int{0}, outputs: []int{1},
					optionsType: optPool2D, options: poolOptions(PaddingSame, 2, 2, 2, 2, ActNone)}},
				inputs: []int{0}, outputs: []int{1},
			}
			got, _ := runGraph(t, g, in)
			checkClose(t, got, c.want, 1e-7)
		})
	}
}

func TestMean(t *testing.T) {
	cases := []struct {
		name string
		axes []int
		keep bool
		out  []int
		want []float32
	}{
		{name: "spatial keep dims", axes: []int{1, 2}, keep: true, out: []int{1, 1, 1, 2},
			want: []float32{3, 4}},
		{name: "spatial", axes: []int{1, -2}, out: []int{1, 2}, want: []float32{3, 4}},
		{name: "channels", axes: []int{3}, out: []int{1, 2, 2}, want: []float32{0.5, 2.5, 4.5, 6.5}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			keep := uint8(0)
			if c.keep {
				keep = 1
			}
			g := testGraph{
				tensors: []testTensor{
					{name: "in", shape: []int{1, 2, 2, 2}},
					{name: "axes", typ: Int32, shape: []int{len(c.axes)}, data: int32Bytes(c.axes)},
					{name: "out", shape: c.out},
				},
				ops: []testOp{{code: OpMean, inputs: []int{0, 1}, outputs: []int{2},
					optionsType: optReducer, options: fbTableNode{fU8(0, keep)}}},
				inputs: []int{0}, outputs: []int{2},
			}
			got, _ := runGraph(t, g, []float32{0, 1, 2, 3, 4, 5, 6, 7})
			checkClose(t, got, c.want, 1e-7)
		})
	}
}

func TestFloat16ToFloat32(t *testing.T) {
	cases := []struct {
		bits uint16
		want float32
	}{
		{0x0000, 0},
		{0x3c00, 1},
		{0xc000, -2},
		{0x3555, 0.333251953125},
		{0x7bff, 65504},
		{0x0001, 5.9604644775390625e-08}, // smallest subnormal, 2^-24
		{0x83ff, -6.0975551605224609e-05},
		{0x7c00, float32(math.Inf(1))},
		{0xfc00, float32(math.Inf(-1))},
	}
	for _, c := range cases {
		if got := float16ToFloat32(c.bits); got != c.want {
			t.Errorf("float16ToFloat32(%#04x) = %v, expected %v", c.bits, got, c.want)
		}
	}
	if got := float16ToFloat32(0x7e00); !math.IsNaN(float64(got)) {
		t.Errorf("float16ToFloat32(0x7e00) = %v, expected NaN", got)
	}
}

// dequantizeAddGraph computes DEQUANTIZE(constant) + input, so the folded
// constant reaches the output.
func dequantizeAddGraph(constant testTensor) testGraph {
	shape := constant.shape
	return testGraph{
		tensors: []testTensor{
			{name: "input", shape: shape},
			constant,
			{name: "weights", shape: shape},
			{name: "out", shape: shape},
		},
		ops: []testOp{
			{code: OpDequantize, inputs: []int{1}, outputs: []int{2}},
			{code: OpAdd, inputs: []int{0, 2}, outputs: []int{3}},
		},
		inputs: []int{0}, outputs: []int{3},
	}
}

func TestDequantizeFolded(t *testing.T) {
	var half []byte
	for _, h := range []uint16{0x3c00, 0xc000, 0x3800, 0x0000} {
		half = binary.LittleEndian.AppendUint16(half, h)
	}
	scale := fbBytes{elem: 4, data: float32Bytes([]float32{0.5, 2})}
	zero := fbBytes{elem: 8, data: binary.LittleEndian.AppendUint64(
		binary.LittleEndian.AppendUint64(nil, 1), uint64(0xffffffffffffffff))}

	cases := []struct {
		name     string
		constant testTensor
		want     []float32
	}{
		{name: "float16", constant: testTensor{name: "w", typ: Float16, shape: []int{2, 2}, data: half},
			want: []float32{1, -2, 0.5, 0}},
		{name: "int8 per channel", want: []float32{-1, 0.5, 2, 8},
			constant: testTensor{name: "w", typ: Int8, shape: []int{2, 2},
				data:  []byte{0xff, 2, 0, 3}, // -1, 2 with zero 1, then 0, 3 with zero -1
				quant: fbTableNode{fChild(2, scale), fChild(3, zero), fI32(6, 0)}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, _ := runGraph(t, dequantizeAddGraph(c.constant), make([]float32, 4))
			checkClose(t, got, c.want, 0)
		})
	}
}
