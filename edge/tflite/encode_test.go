package tflite

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

// TestEncodeRoundTrip encodes the bundled model and checks that parsing the
// result gives the same graph, buffers and options.
func TestEncodeRoundTrip(t *testing.T) {
	m := loadModel(t)
	data, err := Encode(m)
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	back, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse of encoded model: %v", err)
	}

	if !reflect.DeepEqual(back.Tensors, m.Tensors) {
		t.Errorf("tensors differ after round trip")
	}
	if !reflect.DeepEqual(back.Inputs, m.Inputs) || !reflect.DeepEqual(back.Outputs, m.Outputs) {
		t.Errorf("inputs/outputs %v %v, expected %v %v", back.Inputs, back.Outputs,
			m.Inputs, m.Outputs)
	}
	if len(back.Operators) != len(m.Operators) {
		t.Fatalf("%d operators, expected %d", len(back.Operators), len(m.Operators))
	}
	for i := range m.Operators {
		got, want := back.Operators[i], m.Operators[i]
		if got.Code != want.Code || !reflect.DeepEqual(got.Inputs, want.Inputs) ||
			!reflect.DeepEqual(got.Outputs, want.Outputs) ||
			!reflect.DeepEqual(got.Options, want.Options) {
			t.Errorf("op %d: got %+v, expected %+v", i, got, want)
		}
	}
	for i := range m.Buffers {
		if !bytes.Equal(back.Buffers[i], m.Buffers[i]) {
			t.Errorf("buffer %d differs", i)
		}
	}
}

// TestEncodeAlignment checks that every buffer with data starts at a
// multiple of 16 bytes, as the schema's force_align requires.
func TestEncodeAlignment(t *testing.T) {
	data, err := Encode(loadModel(t))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	base := reflect.ValueOf(&data[0]).Pointer()
	for i, b := range m.Buffers {
		if len(b) == 0 {
			continue
		}
		if off := reflect.ValueOf(&b[0]).Pointer() - base; off%16 != 0 {
			t.Errorf("buffer %d starts at byte %d, not a multiple of 16", i, off)
		}
	}
}

func TestEncodeUndecodedOptions(t *testing.T) {
	m := &Model{
		Tensors:   []TensorInfo{{Name: "x", Shape: []int{1}}, {Name: "y", Shape: []int{1}}},
		Operators: []Operator{{Code: 47, Inputs: []int{0}, Outputs: []int{1}, optionsType: 33}},
		Buffers:   [][]byte{nil},
	}
	_, err := Encode(m)
	if !errors.Is(err, ErrNotEncodable) {
		t.Fatalf("error = %v, expected ErrNotEncodable", err)
	}
}
