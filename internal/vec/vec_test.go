package vec

import (
	"math"
	"slices"
	"testing"
)

type vector []float32

func TestFloat64s(t *testing.T) {
	tests := []struct {
		name string
		in   vector
		want []float64
	}{
		{"empty", vector{}, []float64{}},
		{"values", vector{1.5, -2, 0}, []float64{1.5, -2, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Float64s(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("Float64s(%v) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestFloat32s(t *testing.T) {
	tests := []struct {
		name string
		in   []float64
		want []float32
	}{
		{"exact", []float64{0.25, -4}, []float32{0.25, -4}},
		{"rounded", []float64{0.1}, []float32{0.1}},
		{"overflow", []float64{1e300}, []float32{float32(math.Inf(1))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Float32s(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("Float32s(%v) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestFloat64sCopies(t *testing.T) {
	in := []float64{1, 2}
	out := Float64s(in)
	out[0] = 9
	if in[0] != 1 {
		t.Errorf("input changed to %v after writing the output", in)
	}
}
