package tflite

import (
	"errors"
	"strings"
	"testing"
)

// TestParseRejectsHugeTensor parses a file of a few hundred bytes whose
// input claims 4 GiB of float32 values.
func TestParseRejectsHugeTensor(t *testing.T) {
	g := addGraph()
	for i := range g.tensors {
		if g.tensors[i].data == nil {
			g.tensors[i].shape = []int{1, 32768, 32768, 1}
		}
	}
	_, err := Parse(g.encode())
	if !errors.Is(err, ErrMalformed) {
		t.Fatalf("error = %v, expected ErrMalformed", err)
	}
	if !strings.Contains(err.Error(), "32768") {
		t.Errorf("error %q does not name the shape", err)
	}
}

func TestNewInterpreterMemoryLimit(t *testing.T) {
	cases := []struct {
		name      string
		shape     []int
		maxMemory int64
		wantErr   error
	}{
		{name: "fits default", shape: []int{1, 2}, wantErr: nil},
		{name: "1 GiB input, default limit", shape: []int{1, 16384, 16384, 1},
			wantErr: ErrTooLarge},
		{name: "small limit", shape: []int{1, 2}, maxMemory: 23, wantErr: ErrTooLarge},
		{name: "exact limit", shape: []int{1, 2}, maxMemory: 24, wantErr: nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := binaryGraph(testOp{code: OpAdd}, c.shape, c.shape, c.shape)
			m, err := Parse(g.encode())
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			_, err = NewInterpreter(m, Options{MaxMemory: c.maxMemory})
			if !errors.Is(err, c.wantErr) {
				t.Fatalf("error = %v, expected %v", err, c.wantErr)
			}
		})
	}
}

func TestDefaultMaxMemory(t *testing.T) {
	if got, want := DefaultMaxMemory(0), int64(256<<20); got != want {
		t.Errorf("DefaultMaxMemory(0) = %d, expected %d", got, want)
	}
	if got, want := DefaultMaxMemory(10<<20), int64(256<<20+160<<20); got != want {
		t.Errorf("DefaultMaxMemory(10 MiB) = %d, expected %d", got, want)
	}
}

// TestUnsupportedNamesModel checks that the error names the model, the
// operator and its index.
func TestUnsupportedNamesModel(t *testing.T) {
	g := addGraph()
	g.ops[0] = testOp{code: 99, inputs: []int{0, 1}, outputs: []int{2}}
	m, err := Parse(g.encode())
	if err != nil {
		t.Fatal(err)
	}
	m.Name = "head.tflite"
	_, err = NewInterpreter(m, Options{})
	if !errors.Is(err, ErrUnsupported) {
		t.Fatalf("error = %v, expected ErrUnsupported", err)
	}
	for _, want := range []string{`model "head.tflite"`, "op 0", "SQUARED_DIFFERENCE"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}
