package tflite

import (
	"errors"
	"slices"
	"sync"
	"testing"
)

func TestNewInterpreterUnsupported(t *testing.T) {
	cases := []struct {
		name       string
		graph      func(g *testGraph)
		wantOp     string
		wantTensor int
	}{
		{name: "operator", wantOp: "DIV", wantTensor: -1, graph: func(g *testGraph) {
			g.ops[0] = testOp{code: OpDiv, inputs: []int{0, 1}, outputs: []int{2}}
		}},
		{name: "fused tanh", wantOp: "ADD", wantTensor: -1, graph: func(g *testGraph) {
			g.ops[0].options = fbTableNode{fU8(0, uint8(ActTanh))}
		}},
		{name: "int16 activation", wantOp: "ADD", wantTensor: 0, graph: func(g *testGraph) {
			g.tensors[0].typ = Int16
		}},
		{name: "runtime dequantize", wantOp: "DEQUANTIZE", wantTensor: 0, graph: func(g *testGraph) {
			g.ops[0] = testOp{code: OpDequantize, inputs: []int{0}, outputs: []int{2}}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := addGraph()
			c.graph(&g)
			m, err := Parse(g.encode())
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			_, err = NewInterpreter(m, Options{})
			var ue *UnsupportedError
			if !errors.As(err, &ue) {
				t.Fatalf("error = %v, expected *UnsupportedError", err)
			}
			if !errors.Is(err, ErrUnsupported) {
				t.Errorf("error does not wrap ErrUnsupported")
			}
			if ue.Op != c.wantOp || ue.OpIndex != 0 || ue.Tensor != c.wantTensor {
				t.Errorf("error = %+v, expected op %s, index 0, tensor %d",
					ue, c.wantOp, c.wantTensor)
			}
		})
	}
}

// TestNewInterpreterPlansOnlyNeeded requests a tensor that does not depend
// on an unsupported operator elsewhere in the graph.
func TestNewInterpreterPlansOnlyNeeded(t *testing.T) {
	g := addGraph()
	g.tensors = append(g.tensors, testTensor{name: "quotient", shape: []int{1, 2}})
	g.ops = append(g.ops, testOp{code: OpDiv, inputs: []int{2, 2}, outputs: []int{3}})
	g.outputs = []int{3}
	m, err := Parse(g.encode())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewInterpreter(m, Options{}); !errors.Is(err, ErrUnsupported) {
		t.Fatalf("graph outputs: error = %v, expected ErrUnsupported", err)
	}

	in, err := NewInterpreter(m, Options{Outputs: []int{2}})
	if err != nil {
		t.Fatalf("NewInterpreter for tensor 2: %v", err)
	}
	if err := in.SetInput(0, []float32{10, 20}); err != nil {
		t.Fatal(err)
	}
	if err := in.Invoke(); err != nil {
		t.Fatal(err)
	}
	got, shape := in.Output(0)
	if !slices.Equal(got, []float32{11, 22}) || !slices.Equal(shape, []int{1, 2}) {
		t.Errorf("Output = %v %v, expected [11 22] [1 2]", got, shape)
	}
}

func TestInterpreterArguments(t *testing.T) {
	m, err := Parse(addGraph().encode())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewInterpreter(m, Options{Outputs: []int{7}}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("output 7: error = %v, expected ErrInvalidArgument", err)
	}
	in, err := NewInterpreter(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := in.InputShape(0); !slices.Equal(got, []int{1, 2}) {
		t.Errorf("InputShape(0) = %v, expected [1 2]", got)
	}
	if err := in.SetInput(0, []float32{1, 2, 3}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("3 values: error = %v, expected ErrInvalidArgument", err)
	}
	if err := in.SetInput(1, []float32{1, 2}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("input 1: error = %v, expected ErrInvalidArgument", err)
	}
}

// TestInterpretersShareModel runs one interpreter per goroutine on one
// Model and checks that all agree with a single-goroutine run.
func TestInterpretersShareModel(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the backbone three times; skipped with -short")
	}
	m := loadModel(t)
	input := make([]float32, 300*300*3)
	for i := range input {
		input[i] = float32(i%251)/125.5 - 1
	}

	results := make([][]float32, 3)
	var wg sync.WaitGroup
	for g := range results {
		wg.Go(func() {
			in, err := NewInterpreter(m, Options{Outputs: []int{backboneTensor}})
			if err != nil {
				t.Error(err)
				return
			}
			in.SetInput(0, input)
			in.Invoke()
			out, _ := in.Output(0)
			results[g] = slices.Clone(out)
		})
	}
	wg.Wait()
	for g := 1; g < len(results); g++ {
		if !slices.Equal(results[g], results[0]) {
			t.Errorf("interpreter %d output differs from interpreter 0", g)
		}
	}
}
