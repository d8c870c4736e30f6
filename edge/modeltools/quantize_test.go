package modeltools

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/edgecluster/edgecluster/edge/tflite"
)

func TestActivationParams(t *testing.T) {
	tests := []struct {
		name      string
		r         Range
		wantScale float32
		wantZero  int64
	}{
		{"relu6", Range{0, 6}, 6.0 / 255, -128},
		{"symmetric", Range{-1, 1}, 2.0 / 255, -1}, // -0.5 rounds away from zero
		{"negative only", Range{-2, -1}, 2.0 / 255, 127},
		{"positive only", Range{1, 5}, 5.0 / 255, -128},
		{"constant zero", Range{0, 0}, 1, -128},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := activationParams(tt.r)
			if math.Abs(float64(got.scale-tt.wantScale)) > 1e-7 {
				t.Errorf("scale %v, want %v", got.scale, tt.wantScale)
			}
			if got.zero != tt.wantZero {
				t.Errorf("zero point %d, want %d", got.zero, tt.wantZero)
			}
		})
	}
}

func TestSymmetricWeights(t *testing.T) {
	tests := []struct {
		name       string
		w          []float32
		channels   int
		inner      int
		wantQ      []int8
		wantScales []float32
	}{
		{"per tensor", []float32{-2, 1, 0.5, 2}, 1, 4, []int8{-127, 64, 32, 127},
			[]float32{2.0 / 127}},
		{"per row", []float32{1, -0.5, 0, 4}, 2, 2, []int8{127, -64, 0, 127},
			[]float32{1.0 / 127, 4.0 / 127}},
		{"last axis", []float32{1, 4, -1, 2}, 2, 1, []int8{127, 127, -127, 64},
			[]float32{1.0 / 127, 4.0 / 127}},
		{"zero channel", []float32{0, 0, 3, -3}, 2, 2, []int8{0, 0, 127, -127},
			[]float32{1, 3.0 / 127}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, scales := symmetricWeights(tt.w, tt.channels, tt.inner)
			for i, b := range data {
				if int8(b) != tt.wantQ[i] {
					t.Errorf("q[%d] = %d, want %d", i, int8(b), tt.wantQ[i])
				}
			}
			for i, s := range scales {
				if math.Abs(float64(s-tt.wantScales[i])) > 1e-7 {
					t.Errorf("scale[%d] = %v, want %v", i, s, tt.wantScales[i])
				}
			}
		})
	}
}

// convModel returns a float model of the ops in a MobileNetV2 block:
//
//	t1 = CONV_2D 3x3 stride 2 SAME RELU6 (t0 input [1,8,8,3], 8 channels)
//	t4 = DEPTHWISE_CONV_2D 3x3 SAME (t1)
//	t7 = ADD(t1, t4)
//	t9 = MEAN(t7, axes [1, 2]) [1, 8] (graph output)
func convModel(t *testing.T, rng *rand.Rand) *tflite.Model {
	t.Helper()
	random := func(n int, scale float32) []byte {
		v := make([]float32, n)
		for i := range v {
			v[i] = scale * (2*rng.Float32() - 1)
		}
		return float32Bytes(v...)
	}
	m := &tflite.Model{
		Buffers: [][]byte{nil, random(8*3*3*3, 0.5), random(8, 0.1), random(3*3*8, 0.5),
			random(8, 0.1), int32Bytes(1, 2)},
		Tensors: []tflite.TensorInfo{
			{Name: "input", Type: tflite.Float32, Shape: []int{1, 8, 8, 3}},
			{Name: "conv", Type: tflite.Float32, Shape: []int{1, 4, 4, 8}},
			{Name: "conv_w", Type: tflite.Float32, Shape: []int{8, 3, 3, 3}, Buffer: 1},
			{Name: "conv_b", Type: tflite.Float32, Shape: []int{8}, Buffer: 2},
			{Name: "dw", Type: tflite.Float32, Shape: []int{1, 4, 4, 8}},
			{Name: "dw_w", Type: tflite.Float32, Shape: []int{1, 3, 3, 8}, Buffer: 3},
			{Name: "dw_b", Type: tflite.Float32, Shape: []int{8}, Buffer: 4},
			{Name: "sum", Type: tflite.Float32, Shape: []int{1, 4, 4, 8}},
			{Name: "axes", Type: tflite.Int32, Shape: []int{2}, Buffer: 5},
			{Name: "pooled", Type: tflite.Float32, Shape: []int{1, 8}},
		},
		Operators: []tflite.Operator{
			{Code: tflite.OpConv2D, Inputs: []int{0, 2, 3}, Outputs: []int{1},
				Options: &tflite.Conv2DOptions{Padding: tflite.PaddingSame, StrideW: 2,
					StrideH: 2, Activation: tflite.ActRelu6, DilationW: 1, DilationH: 1}},
			{Code: tflite.OpDepthwiseConv2D, Inputs: []int{1, 5, 6}, Outputs: []int{4},
				Options: &tflite.DepthwiseConv2DOptions{Padding: tflite.PaddingSame,
					StrideW: 1, StrideH: 1, DepthMultiplier: 1, DilationW: 1, DilationH: 1}},
			{Code: tflite.OpAdd, Inputs: []int{1, 4}, Outputs: []int{7},
				Options: &tflite.ActivationOptions{}},
			{Code: tflite.OpMean, Inputs: []int{7, 8}, Outputs: []int{9},
				Options: &tflite.ReducerOptions{}},
		},
		Inputs:  []int{0},
		Outputs: []int{9},
	}
	return reparse(t, m)
}

func randomInput(rng *rand.Rand, n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = 2*rng.Float32() - 1
	}
	return v
}

// quantizeSmall calibrates m on 16 random inputs and returns the parsed
// int8 model.
func quantizeSmall(t *testing.T, m *tflite.Model, rng *rand.Rand) *tflite.Model {
	t.Helper()
	cal, err := NewCalibrator(m)
	if err != nil {
		t.Fatalf("NewCalibrator: %v", err)
	}
	for range 16 {
		if err := cal.Observe(randomInput(rng, 8*8*3)); err != nil {
			t.Fatalf("Observe: %v", err)
		}
	}
	q, err := Quantize(m, cal.Ranges())
	if err != nil {
		t.Fatalf("Quantize: %v", err)
	}
	return reparse(t, q)
}

func TestQuantizeTensorTypes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	q := quantizeSmall(t, convModel(t, rng), rng)

	in, out := q.Tensors[q.Inputs[0]], q.Tensors[q.Outputs[0]]
	if in.Type != tflite.Float32 || in.Name != "input" {
		t.Errorf("graph input %s %q, want FLOAT32 \"input\"", in.Type, in.Name)
	}
	if out.Type != tflite.Float32 || out.Name != "pooled" {
		t.Errorf("graph output %s %q, want FLOAT32 \"pooled\"", out.Type, out.Name)
	}
	want := []tflite.BuiltinOperator{tflite.OpQuantize, tflite.OpConv2D,
		tflite.OpDepthwiseConv2D, tflite.OpAdd, tflite.OpMean, tflite.OpDequantize}
	var ops []tflite.BuiltinOperator
	for _, op := range q.Operators {
		ops = append(ops, op.Code)
	}
	if !equal(ops, want) {
		t.Fatalf("ops %v, want %v", ops, want)
	}

	conv := q.Operators[1]
	checkTensor(t, q, conv.Inputs[1], tflite.Int8, 8, 0)
	checkTensor(t, q, conv.Inputs[2], tflite.Int32, 8, 0)
	dw := q.Operators[2]
	checkTensor(t, q, dw.Inputs[1], tflite.Int8, 8, 3)
	checkTensor(t, q, conv.Outputs[0], tflite.Int8, 1, 0)
}

// checkTensor checks tensor i's type, number of scales and quantized
// dimension.
func checkTensor(t *testing.T, m *tflite.Model, i int, typ tflite.TensorType, scales, dim int) {
	t.Helper()
	info := m.Tensors[i]
	if info.Type != typ {
		t.Errorf("tensor %d (%s) is %s, want %s", i, info.Name, info.Type, typ)
	}
	if info.Quantization == nil {
		t.Fatalf("tensor %d (%s) has no quantization", i, info.Name)
	}
	if n := len(info.Quantization.Scale); n != scales {
		t.Errorf("tensor %d (%s) has %d scales, want %d", i, info.Name, n, scales)
	}
	if info.Quantization.Dimension != dim {
		t.Errorf("tensor %d (%s) is quantized along %d, want %d", i, info.Name,
			info.Quantization.Dimension, dim)
	}
}

// TestQuantizeMatchesFloat runs the float and the int8 model on inputs that
// calibration did not see. The error bound is four steps of the output's
// quantization, which is 1/255 of its calibrated range.
func TestQuantizeMatchesFloat(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	m := convModel(t, rng)
	q := quantizeSmall(t, m, rng)
	step := float64(q.Tensors[q.Operators[len(q.Operators)-1].Inputs[0]].Quantization.Scale[0])

	for trial := range 8 {
		input := randomInput(rng, 8*8*3)
		want := run(t, m, input, nil)[0]
		got := run(t, q, input, nil)[0]
		for i := range want {
			if d := math.Abs(float64(got[i] - want[i])); d > 4*step {
				t.Errorf("input %d, value %d: int8 %v, float %v, error %.2f steps",
					trial, i, got[i], want[i], d/step)
			}
		}
	}
}

func TestQuantizeRejectsUnsupportedOp(t *testing.T) {
	m := reparse(t, &tflite.Model{
		Tensors: []tflite.TensorInfo{
			{Name: "input", Type: tflite.Float32, Shape: []int{1, 4}},
			{Name: "probs", Type: tflite.Float32, Shape: []int{1, 4}},
		},
		Operators: []tflite.Operator{{Code: tflite.OpSoftmax, Inputs: []int{0},
			Outputs: []int{1}, Options: &tflite.SoftmaxOptions{Beta: 1}}},
		Inputs: []int{0}, Outputs: []int{1}, Buffers: [][]byte{nil},
	})
	ranges := map[int]Range{0: {-1, 1}, 1: {0, 1}}
	_, err := Quantize(m, ranges)
	if !errors.Is(err, ErrNotQuantizable) {
		t.Fatalf("Quantize error %v, want ErrNotQuantizable", err)
	}
}

func TestQuantizeNeedsRanges(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	_, err := Quantize(convModel(t, rng), map[int]Range{})
	if !errors.Is(err, ErrNotQuantizable) {
		t.Fatalf("Quantize error %v, want ErrNotQuantizable", err)
	}
}
