package tflite

import (
	"slices"
	"testing"
)

// TestQuantizeFloatsRounding checks both QUANTIZE arithmetics on inputs
// that land on rounding ties, as every pixel of an image scaled to [-1, 1]
// does with scale 2/255.
func TestQuantizeFloatsRounding(t *testing.T) {
	const scale = float32(2.0 / 255)
	var src []float32
	// x/scale is -88.5, -1.5, 1.5, 88.5 and 127.49999, and x*(1/scale) is
	// the same except ±1.4999999 for the two middle pixels.
	for _, pixel := range []float32{39, 126, 129, 216, 255} {
		src = append(src, (pixel-127.5)/127.5)
	}
	tests := []struct {
		name string
		fn   func(dst []int8, src []float32, scale float32, zero int32)
		zero int32
		want []int8
	}{
		{"builtin, half away from zero", quantizeFloats, -1, []int8{-90, -3, 1, 88, 126}},
		{"XNNPACK, half to even", quantizeFloatsToEven, -1, []int8{-89, -2, 0, 87, 126}},
		{"builtin, saturating", quantizeFloats, -100, []int8{-128, -102, -98, -11, 27}},
		{"XNNPACK, saturating", quantizeFloatsToEven, -100, []int8{-128, -101, -99, -12, 27}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := make([]int8, len(src))
			tt.fn(got, src, scale, tt.zero)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
