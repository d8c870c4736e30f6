package tflite

import (
	"encoding/binary"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestParseModel(t *testing.T) {
	m := loadModel(t)
	if got := m.NumTensors(); got != 389 {
		t.Errorf("NumTensors = %d, expected 389", got)
	}
	if got := len(m.Operators); got != 241 {
		t.Errorf("%d operators, expected 241", got)
	}

	counts := map[string]int{}
	for _, op := range m.Operators {
		counts[op.Name()]++
	}
	want := map[string]int{"CONV_2D": 55, "DEPTHWISE_CONV_2D": 17, "DEQUANTIZE": 144,
		"ADD": 10, "RESHAPE": 13, "CONCATENATION": 2}
	for name, n := range want {
		if counts[name] != n {
			t.Errorf("%s count = %d, expected %d", name, counts[name], n)
		}
	}

	input := m.TensorInfo(m.Inputs[0])
	if input.Name != "normalized_input_image_tensor" || input.Type != Float32 ||
		!slices.Equal(input.Shape, []int{1, 300, 300, 3}) {
		t.Errorf("input tensor = %+v", input)
	}
	idx, ok := m.FindTensor("FeatureExtractor/MobilenetV2/Conv_1/Relu6")
	if !ok || idx != 213 {
		t.Errorf("FindTensor = %d, %v; expected 213, true", idx, ok)
	}
	if !slices.Equal(m.TensorInfo(213).Shape, []int{1, 10, 10, 1280}) {
		t.Errorf("tensor 213 shape = %v", m.TensorInfo(213).Shape)
	}
	if op := m.Operators[173]; op.Code != OpConv2D || !slices.Equal(op.Outputs, []int{213}) {
		t.Errorf("op 173 = %s writing %v, expected CONV_2D writing [213]", op.Name(), op.Outputs)
	}
	if opts, _ := m.Operators[173].Options.(*Conv2DOptions); opts == nil || opts.Activation != ActRelu6 {
		t.Errorf("op 173 options = %+v, expected fused RELU6", m.Operators[173].Options)
	}
}

func TestTensorInfoCopiesShape(t *testing.T) {
	m := loadModel(t)
	info := m.TensorInfo(0)
	info.Shape[1] = 7
	if m.Tensors[0].Shape[1] != 300 {
		t.Errorf("TensorInfo shares its shape slice with the model")
	}
}

// addGraph is a valid two-input ADD model used as the base of malformed
// cases.
func addGraph() testGraph {
	return testGraph{
		tensors: []testTensor{
			{name: "a", shape: []int{1, 2}},
			{name: "b", shape: []int{1, 2}, data: float32Bytes([]float32{1, 2})},
			{name: "sum", shape: []int{1, 2}},
		},
		ops: []testOp{{code: OpAdd, inputs: []int{0, 1}, outputs: []int{2},
			optionsType: optAdd, options: fbTableNode{fU8(0, 0)}}},
		inputs: []int{0}, outputs: []int{2},
	}
}

// rootVtable returns the positions of the root table and its vtable.
func rootVtable(data []byte) (root, vtable int) {
	root = int(binary.LittleEndian.Uint32(data))
	return root, root - int(int32(binary.LittleEndian.Uint32(data[root:])))
}

func TestParseMalformed(t *testing.T) {
	valid := addGraph().encode()
	mutate := func(f func(b []byte)) []byte {
		b := slices.Clone(valid)
		f(b)
		return b
	}
	graph := func(f func(g *testGraph)) []byte {
		g := addGraph()
		f(&g)
		return g.encode()
	}

	cases := []struct {
		name string
		data []byte
		want string // expected substring of the error message
	}{
		{"zero length", nil, "shorter than the 8-byte header"},
		{"header only", valid[:8], "outside the file"},
		{"wrong identifier", mutate(func(b []byte) { copy(b[4:], "TFL2") }), "file identifier"},
		{"root offset out of range", mutate(func(b []byte) {
			binary.LittleEndian.PutUint32(b, 0xfffffff0)
		}), "outside the file"},
		{"vtable offset out of range", mutate(func(b []byte) {
			root, _ := rootVtable(b)
			binary.LittleEndian.PutUint32(b[root:], 0x40000000)
		}), "past the end"},
		{"odd vtable size", mutate(func(b []byte) {
			_, vt := rootVtable(b)
			binary.LittleEndian.PutUint16(b[vt:], 5)
		}), "invalid vtable size"},
		{"table size beyond file", mutate(func(b []byte) {
			_, vt := rootVtable(b)
			binary.LittleEndian.PutUint16(b[vt+2:], 0xffff)
		}), "invalid table size"},
		{"huge vector length", mutate(func(b []byte) {
			i := strings.Index(string(b), "test model")
			binary.LittleEndian.PutUint32(b[i-4:], 0x7fffffff)
		}), "exceeds the file"},
		{"buffer size mismatch", graph(func(g *testGraph) {
			g.tensors[1].data = g.tensors[1].data[:6]
		}), "buffer has 6 bytes"},
		{"negative dimension", graph(func(g *testGraph) { g.tensors[0].shape = []int{1, -2} }),
			"negative dimension"},
		{"opcode index out of range", graph(func(g *testGraph) { g.opcodeShift = 3 }),
			"opcode index 3"},
		{"input tensor out of range", graph(func(g *testGraph) { g.ops[0].inputs[1] = 99 }),
			"input tensor index 99"},
		{"omitted output", graph(func(g *testGraph) { g.ops[0].outputs[0] = -1 }),
			"output tensor index -1"},
		{"graph output out of range", graph(func(g *testGraph) { g.outputs = []int{3} }),
			"graph output tensor index 3"},
		{"operator writes constant", graph(func(g *testGraph) { g.ops[0].outputs[0] = 1 }),
			"writes constant tensor 1"},
		{"operator reads its own output", graph(func(g *testGraph) { g.ops[0].inputs[0] = 2 }),
			"which op 0 writes later"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := Parse(c.data)
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("Parse error = %v, expected one wrapping ErrMalformed", err)
			}
			if m != nil {
				t.Errorf("Parse returned a model with an error")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not mention %q", err, c.want)
			}
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Errorf("error %T is not a *FormatError", err)
			}
		})
	}
}

// TestParseTruncated cuts a crafted model at every length and the real
// model at many lengths. Every cut removes referenced bytes, so each must
// fail with ErrMalformed.
func TestParseTruncated(t *testing.T) {
	small := addGraph().encode()
	for n := range len(small) {
		if _, err := Parse(small[:n]); !errors.Is(err, ErrMalformed) {
			t.Fatalf("crafted model cut to %d of %d bytes: error %v", n, len(small), err)
		}
	}

	real, err := os.ReadFile(modelPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{8, 16, 64, 1000, 4096, 65536, len(real) / 2, len(real) - 100_000,
		len(real) - 1000, len(real) - 1} {
		if _, err := Parse(real[:n]); !errors.Is(err, ErrMalformed) {
			t.Errorf("real model cut to %d bytes: error %v", n, err)
		}
	}
}

// TestParseCorruptedWords overwrites each 32-bit word of a crafted model
// with large values. Parse may accept some results, but it must not panic
// and every error must wrap ErrMalformed.
func TestParseCorruptedWords(t *testing.T) {
	valid := addGraph().encode()
	for pos := 0; pos+4 <= len(valid); pos++ {
		for _, v := range []uint32{0xffffffff, 0x80000000, 0x7ffffffc, 1} {
			b := slices.Clone(valid)
			binary.LittleEndian.PutUint32(b[pos:], v)
			if _, err := Parse(b); err != nil && !errors.Is(err, ErrMalformed) {
				t.Fatalf("word %#x at %d: error %v does not wrap ErrMalformed", v, pos, err)
			}
		}
	}
}

func TestParseOptionalInput(t *testing.T) {
	g := addGraph()
	g.ops[0].inputs = []int{0, 1, -1}
	if _, err := Parse(g.encode()); err != nil {
		t.Errorf("Parse with an omitted optional input: %v", err)
	}
}
