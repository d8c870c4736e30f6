package modeltools

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/edgecluster/edgecluster/edge/tflite"
)

// float32Bytes encodes v as little-endian FLOAT32 buffer bytes.
func float32Bytes(v ...float32) []byte {
	var out []byte
	for _, x := range v {
		out = binary.LittleEndian.AppendUint32(out, math.Float32bits(x))
	}
	return out
}

func int32Bytes(v ...int32) []byte {
	var out []byte
	for _, x := range v {
		out = binary.LittleEndian.AppendUint32(out, uint32(x))
	}
	return out
}

// chainModel returns a parsed model of two branches from one input
// [1, 2, 2, 3]:
//
//	t0 input
//	t2 = ADD(t0, t1)          t1 constant 1
//	t4 = ADD(t2, t3)          t3 constant 10 (graph output)
//	t6 = MEAN(t2, t5)         t5 axes [1, 2] (graph output)
//
// A dead ADD writes t8 from t0 and t7, which no output reads.
func chainModel(t *testing.T) *tflite.Model {
	t.Helper()
	shape := []int{1, 2, 2, 3}
	ones := float32Bytes(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)
	tens := float32Bytes(10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10)
	m := &tflite.Model{
		Description: "chain",
		Buffers:     [][]byte{nil, ones, tens, int32Bytes(1, 2), ones, nil},
		Tensors: []tflite.TensorInfo{
			{Name: "input", Type: tflite.Float32, Shape: shape},
			{Name: "ones", Type: tflite.Float32, Shape: shape, Buffer: 1},
			{Name: "plus1", Type: tflite.Float32, Shape: shape, Buffer: 5},
			{Name: "tens", Type: tflite.Float32, Shape: shape, Buffer: 2},
			{Name: "plus11", Type: tflite.Float32, Shape: shape},
			{Name: "axes", Type: tflite.Int32, Shape: []int{2}, Buffer: 3},
			{Name: "pooled", Type: tflite.Float32, Shape: []int{1, 3}},
			{Name: "dead_const", Type: tflite.Float32, Shape: shape, Buffer: 4},
			{Name: "dead", Type: tflite.Float32, Shape: shape},
		},
		Operators: []tflite.Operator{
			{Code: tflite.OpAdd, Inputs: []int{0, 1}, Outputs: []int{2},
				Options: &tflite.ActivationOptions{}},
			{Code: tflite.OpAdd, Inputs: []int{0, 7}, Outputs: []int{8},
				Options: &tflite.ActivationOptions{}},
			{Code: tflite.OpAdd, Inputs: []int{2, 3}, Outputs: []int{4},
				Options: &tflite.ActivationOptions{}},
			{Code: tflite.OpMean, Inputs: []int{2, 5}, Outputs: []int{6},
				Options: &tflite.ReducerOptions{}},
		},
		Inputs:  []int{0},
		Outputs: []int{4, 6, 8},
	}
	return reparse(t, m)
}

// reparse encodes m and parses the bytes, as a model read from a file.
func reparse(t *testing.T, m *tflite.Model) *tflite.Model {
	t.Helper()
	data, err := tflite.Encode(m)
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	out, err := tflite.Parse(data)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return out
}

// run invokes m on input and returns a copy of output i.
func run(t *testing.T, m *tflite.Model, input []float32, outputs []int) [][]float32 {
	t.Helper()
	in, err := tflite.NewInterpreter(m, tflite.Options{Outputs: outputs})
	if err != nil {
		t.Fatalf("NewInterpreter: %v", err)
	}
	if err := in.SetInput(0, input); err != nil {
		t.Fatal(err)
	}
	if err := in.Invoke(); err != nil {
		t.Fatal(err)
	}
	var out [][]float32
	for i := range in.NumOutputs() {
		v, _ := in.Output(i)
		out = append(out, append([]float32(nil), v...))
	}
	return out
}

func TestCutKeepsOnlyLiveGraph(t *testing.T) {
	m := chainModel(t)
	tests := []struct {
		name        string
		outputs     []int
		wantOps     []tflite.BuiltinOperator
		wantTensors []string
		wantBuffers int // including the empty buffer 0
	}{
		{"first add", []int{2}, []tflite.BuiltinOperator{tflite.OpAdd},
			[]string{"input", "ones", "plus1"}, 2},
		{"second add", []int{4}, []tflite.BuiltinOperator{tflite.OpAdd, tflite.OpAdd},
			[]string{"input", "ones", "plus1", "tens", "plus11"}, 3},
		{"mean and add", []int{6, 4},
			[]tflite.BuiltinOperator{tflite.OpAdd, tflite.OpAdd, tflite.OpMean},
			[]string{"input", "ones", "plus1", "tens", "plus11", "axes", "pooled"}, 4},
		{"constant only", []int{3}, nil, []string{"tens"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cut, err := Cut(m, tt.outputs)
			if err != nil {
				t.Fatalf("Cut: %v", err)
			}
			got := reparse(t, cut)

			var ops []tflite.BuiltinOperator
			for _, op := range got.Operators {
				ops = append(ops, op.Code)
			}
			if !equal(ops, tt.wantOps) {
				t.Errorf("ops %v, want %v", ops, tt.wantOps)
			}
			var names []string
			for _, info := range got.Tensors {
				names = append(names, info.Name)
			}
			if !equal(names, tt.wantTensors) {
				t.Errorf("tensors %v, want %v", names, tt.wantTensors)
			}
			if len(got.Buffers) != tt.wantBuffers {
				t.Errorf("%d buffers, want %d", len(got.Buffers), tt.wantBuffers)
			}
			for k, o := range got.Outputs {
				if got.Tensors[o].Name != m.Tensors[tt.outputs[k]].Name {
					t.Errorf("output %d is %q, want %q", k, got.Tensors[o].Name,
						m.Tensors[tt.outputs[k]].Name)
				}
			}
		})
	}
}

func equal[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestCutComputesSameValues(t *testing.T) {
	m := chainModel(t)
	input := []float32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	want := run(t, m, input, []int{4, 6})

	cut, err := Cut(m, []int{4, 6})
	if err != nil {
		t.Fatal(err)
	}
	got := run(t, reparse(t, cut), input, nil)
	for i := range want {
		if !equal(got[i], want[i]) {
			t.Errorf("output %d: cut model gives %v, full model %v", i, got[i], want[i])
		}
	}
	if got[0][5] != 16 {
		t.Errorf("plus11[5] = %v, want 16", got[0][5])
	}
}

func TestCutRejectsBadOutputs(t *testing.T) {
	m := chainModel(t)
	for _, outputs := range [][]int{nil, {-1}, {len(m.Tensors)}} {
		if _, err := Cut(m, outputs); err == nil {
			t.Errorf("Cut(%v) returned no error", outputs)
		}
	}
}

func TestResolveTensor(t *testing.T) {
	m := chainModel(t)
	tests := []struct {
		ref     string
		want    int
		wantErr bool
	}{
		{ref: "plus1", want: 2},
		{ref: "plus11", want: 4},
		{ref: "7", want: 7},
		{ref: "poo", want: 6},
		{ref: "dead", want: 8},
		{ref: "dead_", want: 7},
		{ref: "plus", wantErr: true},
		{ref: "missing", wantErr: true},
		{ref: "99", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ResolveTensor(m, tt.ref)
		if tt.wantErr {
			if err == nil {
				t.Errorf("ResolveTensor(%q) = %d, want an error", tt.ref, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ResolveTensor(%q) = %d, %v, want %d", tt.ref, got, err, tt.want)
		}
	}
}

func TestInspectCountsAndCandidates(t *testing.T) {
	r := Inspect(chainModel(t))
	if len(r.Ops) != 2 || r.Ops[0].Name != "ADD" || r.Ops[0].Count != 3 {
		t.Errorf("ops %+v, want ADD x3 first", r.Ops)
	}
	// ones, tens and dead_const are 48 bytes each, and axes 8 bytes.
	if r.WeightBytes != 3*48+8 {
		t.Errorf("weight bytes %d, want %d", r.WeightBytes, 3*48+8)
	}
	if len(r.Candidates) != 3 {
		t.Fatalf("%d candidates, want 3: %+v", len(r.Candidates), r.Candidates)
	}
	if c := r.Candidates[0]; c.Name != "plus1" || c.Reason != reasonPooled+", "+reasonWide {
		t.Errorf("first candidate %s (%s), want plus1 (%s, %s)", c.Name, c.Reason,
			reasonPooled, reasonWide)
	}
	if c := r.Candidates[1]; c.Name != "plus11" || c.Reason != reasonWide {
		t.Errorf("second candidate %s (%s), want plus11 (%s)", c.Name, c.Reason, reasonWide)
	}
}

func TestOpMACs(t *testing.T) {
	tensors := []tflite.TensorInfo{
		{Shape: []int{1, 8, 8, 3}},
		{Shape: []int{16, 3, 3, 3}}, // conv filter
		{Shape: []int{1, 4, 4, 16}},
		{Shape: []int{1, 3, 3, 16}}, // depthwise filter
		{Shape: []int{1, 64}},
		{Shape: []int{10, 64}}, // fully connected weights
		{Shape: []int{1, 10}},
	}
	tests := []struct {
		op   tflite.Operator
		want int64
	}{
		{tflite.Operator{Code: tflite.OpConv2D, Inputs: []int{0, 1, -1}, Outputs: []int{2}},
			4 * 4 * 16 * 3 * 3 * 3},
		{tflite.Operator{Code: tflite.OpDepthwiseConv2D, Inputs: []int{2, 3}, Outputs: []int{2}},
			4 * 4 * 16 * 3 * 3},
		{tflite.Operator{Code: tflite.OpFullyConnected, Inputs: []int{4, 5}, Outputs: []int{6}},
			10 * 64},
		{tflite.Operator{Code: tflite.OpAdd, Inputs: []int{2, 2}, Outputs: []int{2}}, 0},
	}
	for _, tt := range tests {
		m := &tflite.Model{Tensors: tensors, Operators: []tflite.Operator{tt.op}}
		if got := OpMACs(m, 0); got != tt.want {
			t.Errorf("%s: %d MACs, want %d", tt.op.Name(), got, tt.want)
		}
	}
}
