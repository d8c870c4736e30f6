package tflite

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// randomInt16s returns n values in [-255, 255], the range of x - zero point
// and of UINT8 weights minus their zero point, with the int16 extremes at
// the ends to exercise wrapping.
func randomInt16s(r *rand.Rand, n int) []int16 {
	v := make([]int16, n)
	for i := range v {
		v[i] = int16(r.IntN(511) - 255)
	}
	v[0], v[n-1] = math.MinInt16, math.MaxInt16
	return v
}

// TestDotRows2x4MatchesGo checks the kernel that dotRows2x4 selects, which
// is the assembly one on amd64 with AVX2, against the Go kernel.
func TestDotRows2x4MatchesGo(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, size := range []struct{ depth, cols int }{{16, 4}, {32, 8}, {48, 12}, {320, 64}} {
		t.Run(fmt.Sprintf("depth%d_cols%d", size.depth, size.cols), func(t *testing.T) {
			a0, a1 := randomInt16s(r, size.depth), randomInt16s(r, size.depth)
			b := randomInt16s(r, size.depth*size.cols)
			want := make([]int32, 2*size.cols)
			dotRows2x4Go(a0, a1, b, size.depth, size.cols, want)
			got := make([]int32, 2*size.cols)
			dotRows2x4(a0, a1, b, size.depth, size.cols, got)
			if !slices.Equal(got, want) {
				t.Errorf("got %v, want %v (AVX2 %v)", got, want, useAVX2)
			}
		})
	}
}

func TestMultiplyAddInt8MatchesGo(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, n := range []int{1, 8, 13, 96, 963} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			x := make([]int8, n)
			for i := range x {
				x[i] = int8(r.IntN(256) - 128)
			}
			w := randomInt16s(r, n)
			want := make([]int32, n)
			for i := range want {
				want[i] = r.Int32() - math.MaxInt32/2
			}
			got := slices.Clone(want)
			multiplyAddInt8Go(want, x, w, -37)
			multiplyAddInt8(got, x, w, -37)
			if !slices.Equal(got, want) {
				t.Errorf("got %v, want %v (AVX2 %v)", got, want, useAVX2)
			}
		})
	}
}

// BenchmarkDotRows2x4 measures the kernel of quantized CONV_2D at the depth
// of MobileNetV2 layers, in multiply-adds per second.
func BenchmarkDotRows2x4(b *testing.B) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, depth := range []int{32, 160, 320, 960} {
		b.Run(fmt.Sprintf("depth%d", depth), func(b *testing.B) {
			cols := qgemmBlockBytes / (2 * depth) &^ 3
			a0, a1 := randomInt16s(r, depth), randomInt16s(r, depth)
			w := randomInt16s(r, depth*cols)
			out := make([]int32, 2*cols)
			for b.Loop() {
				dotRows2x4(a0, a1, w, depth, cols, out)
			}
			b.ReportMetric(float64(2*depth*cols)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GMAC/s")
		})
	}
}
