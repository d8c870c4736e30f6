package modeltools

import (
	"errors"
	"slices"
	"testing"

	"github.com/edgecluster/edgecluster/edge/tflite"
)

// TestResizeKeepsConverterShapes resizes both backbones to the size they
// were converted at and expects every shape the converter stored.
func TestResizeKeepsConverterShapes(t *testing.T) {
	fp16, err := tflite.Parse(cutBackbone(t))
	if err != nil {
		t.Fatal(err)
	}
	for name, m := range map[string]*tflite.Model{"fp16": fp16,
		"int8": loadModelFile(t, int8Backbone)} {
		got, err := Resize(m, 300, 300)
		if err != nil {
			t.Fatalf("%s: Resize: %v", name, err)
		}
		for i := range m.Tensors {
			if want := m.Tensors[i].Shape; !slices.Equal(got.Tensors[i].Shape, want) {
				t.Errorf("%s: tensor %d has shape %v, the converter's %v", name, i,
					got.Tensors[i].Shape, want)
			}
		}
	}
}

// TestResizeBackbone runs the int8 backbone resized to each size and checks
// the output shape.
func TestResizeBackbone(t *testing.T) {
	tests := []struct {
		size int
		want []int
	}{
		{224, []int{1, 7, 7, 1280}},
		{160, []int{1, 5, 5, 1280}},
		{96, []int{1, 3, 3, 1280}},
	}
	m := loadModelFile(t, int8Backbone)
	for _, tt := range tests {
		resized, err := Resize(m, tt.size, tt.size)
		if err != nil {
			t.Fatalf("Resize(%d): %v", tt.size, err)
		}
		data, err := tflite.Encode(resized)
		if err != nil {
			t.Fatal(err)
		}
		parsed, err := tflite.Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		in, err := tflite.NewInterpreter(parsed, tflite.Options{})
		if err != nil {
			t.Fatalf("%d: NewInterpreter: %v", tt.size, err)
		}
		if err := in.SetInput(0, make([]float32, tt.size*tt.size*3)); err != nil {
			t.Fatal(err)
		}
		if err := in.Invoke(); err != nil {
			t.Fatal(err)
		}
		if _, shape := in.Output(0); !slices.Equal(shape, tt.want) {
			t.Errorf("%d: output shape %v, want %v", tt.size, shape, tt.want)
		}
	}
}

func TestResizeErrors(t *testing.T) {
	tests := []struct {
		name          string
		model         *tflite.Model
		height, width int
	}{
		{"zero height", loadModelFile(t, int8Backbone), 0, 224},
		{"RESHAPE in the SSD heads", loadBundled(t), 224, 224},
	}
	for _, tt := range tests {
		if _, err := Resize(tt.model, tt.height, tt.width); !errors.Is(err, ErrNotResizable) {
			t.Errorf("%s: error %v, want ErrNotResizable", tt.name, err)
		}
	}
}
