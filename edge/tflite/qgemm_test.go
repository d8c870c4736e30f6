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
// is the assembly one on amd64 with AVX2 and on arm64, against the Go
// kernel.
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
				t.Errorf("got %v, want %v (vector %v)", got, want, hasVectorKernels)
			}
		})
	}
}

// BenchmarkMultiplyPanels measures the packed kernel of quantized CONV_2D
// at the depth of MobileNetV2 layers, in multiply-adds per second, with the
// filter of one column block.
func BenchmarkMultiplyPanels(b *testing.B) {
	r := rand.New(rand.NewPCG(29, 30))
	for _, depth := range []int{16, 32, 160, 320, 960} {
		b.Run(fmt.Sprintf("depth%d", depth), func(b *testing.B) {
			cols := max(panelCols, qgemmBlockBytes/(2*depth)&^(panelCols-1))
			a := randomInt16s(r, panelRows*depth)
			panels := packPanels(randomInt16s(r, cols*depth), cols, depth)
			out := make([]int32, panelRows*cols)
			for b.Loop() {
				multiplyPanels(a, depth, panels, depth, cols/panelCols, out, cols)
			}
			b.ReportMetric(float64(panelRows*depth*cols)*float64(b.N)/b.Elapsed().Seconds()/1e9,
				"GMAC/s")
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

// TestRequantizeOnceVectorMatchesGo checks the vector requantization
// against applyRoundingOnce on multipliers from 2^-20 to 1.9 and on sums up
// to the int32 limits.
func TestRequantizeOnceVectorMatchesGo(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	const channels = 40
	multipliers := make([]float32, channels)
	for i := range multipliers {
		multipliers[i] = float32(math.Exp2(-20 * r.Float64()))
	}
	multipliers[0], multipliers[1] = 1.9, 1
	for _, zero := range []int32{-128, -3, 0, 127} {
		rq := newRequant(1, multipliers, quantParams{scale: 1, zero: zero}, -128, 127)
		rq.singleRounding = true
		rq.vector = roundOnceVectorParams(rq.exponent)

		acc := make([]int32, channels)
		bias := make([]int32, channels)
		for i := range acc {
			acc[i] = r.Int32() - math.MaxInt32/2
			bias[i] = int32(r.IntN(2001) - 1000)
		}
		acc[2], acc[3], acc[4] = math.MaxInt32, math.MinInt32+1000, 0

		want := make([]int8, channels)
		rq.applyRoundingOnce(acc, bias, 0, want)
		for _, c0 := range []int{0, 8, 16} {
			got := make([]int8, channels-c0)
			n := requantizeOnceVector(rq, acc[c0:], bias[c0:], c0, got)
			if useAVX2 && n != (channels-c0)&^7 {
				t.Errorf("zero %d, c0 %d: vector path wrote %d values, want %d", zero, c0, n,
					(channels-c0)&^7)
			}
			if !slices.Equal(got[:n], want[c0:c0+n]) {
				t.Errorf("zero %d, c0 %d: got %v, want %v", zero, c0, got[:n], want[c0:c0+n])
			}
		}
	}
}

// TestRequantizeTwiceVectorMatchesGo checks the vector form of the two
// rounding steps against applyRoundingTwice, with multipliers above and
// below 1 and sums up to the int32 limits.
func TestRequantizeTwiceVectorMatchesGo(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	const channels = 40
	multipliers := make([]float32, channels)
	for i := range multipliers {
		multipliers[i] = float32(math.Exp2(-20 * r.Float64()))
	}
	multipliers[0], multipliers[1], multipliers[2] = 1.9, 1, 3.5
	copy(multipliers[8:16], []float32{0.5, 0.25, 0.125, 0.75, 0.5, 0.25, 0.375, 1})
	for _, zero := range []int32{-128, -3, 0, 127} {
		rq := newRequant(1, multipliers, quantParams{scale: 1, zero: zero}, -128, 127)
		rq.twiceVector = roundTwiceVectorParams(rq.exponent)

		acc := make([]int32, channels)
		bias := make([]int32, channels)
		for i := range acc {
			acc[i] = r.Int32() - math.MaxInt32/2
			if i%3 == 0 {
				acc[i] >>= 12 // sums that do not saturate after scaling
			}
			bias[i] = int32(r.IntN(2001) - 1000)
		}
		acc[3], acc[4], acc[5] = math.MaxInt32, math.MinInt32+1000, 0
		for i := 8; i < 16; i++ { // exact ties of the rounding steps
			acc[i], bias[i] = int32(r.IntN(41)-20), 0
		}

		want := make([]int8, channels)
		rq.applyRoundingTwice(acc, bias, 0, want)
		for _, c0 := range []int{0, 8, 16} {
			got := make([]int8, channels-c0)
			n := requantizeTwiceVector(rq, acc[c0:], bias[c0:], c0, got)
			if useAVX2 && n != (channels-c0)&^7 {
				t.Errorf("zero %d, c0 %d: vector path wrote %d values, want %d", zero, c0, n,
					(channels-c0)&^7)
			}
			if !slices.Equal(got[:n], want[c0:c0+n]) {
				t.Errorf("zero %d, c0 %d: got %v, want %v", zero, c0, got[:n], want[c0:c0+n])
			}
		}
	}
}

// TestRequantizeFloatVectorMatchesGo checks the vector form of applyFloat
// against the Go loop on exact ties, on sums beyond float32's 24-bit
// mantissa, on clamped values and on fused ReLU bounds.
func TestRequantizeFloatVectorMatchesGo(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	const channels = 44
	scales := make([]float32, channels)
	for i := range scales {
		scales[i] = float32(math.Exp2(-24 * r.Float64()))
	}
	copy(scales[8:16], []float32{0.5, 0.25, 0.5, 1.5, 0.5, 0.25, 0.125, 1})
	bounds := [][2]int32{{-128, 127}, {-3, 127}, {0, 100}}
	for _, zero := range []int32{-128, -3, 0, 127} {
		for _, b := range bounds {
			lo, hi := max(b[0], zero), b[1]
			rq := &requant{zero: zero, lo: lo, hi: hi, scale: scales}
			acc, bias := floatRequantSums(r)
			want := make([]int8, channels)
			for i := range acc {
				want[i] = rq.applyFloat(acc[i]+bias[i], i)
			}
			for _, c0 := range []int{0, 3, 8, 16} {
				got := make([]int8, channels-c0)
				n := requantizeFloatVector(rq, acc[c0:], bias[c0:], c0, got)
				if hasVectorKernels && n != (channels-c0)&^7 {
					t.Errorf("zero %d, c0 %d: vector path wrote %d values, want %d",
						zero, c0, n, (channels-c0)&^7)
				}
				if !slices.Equal(got[:n], want[c0:c0+n]) {
					t.Errorf("zero %d, bounds %v, c0 %d: got %v, want %v",
						zero, b, c0, got[:n], want[c0:c0+n])
				}
			}
		}
	}
}

// floatRequantSums returns 44 accumulators and biases for
// TestRequantizeFloatVectorMatchesGo.
func floatRequantSums(r *rand.Rand) (acc, bias []int32) {
	acc, bias = make([]int32, 44), make([]int32, 44)
	for i := range acc {
		acc[i] = r.Int32() - math.MaxInt32/2
		if i%3 == 0 {
			acc[i] >>= 16 // sums that stay inside the clamp after scaling
		}
		bias[i] = int32(r.IntN(2001) - 1000)
	}
	acc[2], acc[3], acc[4] = math.MaxInt32-1000, math.MinInt32+1000, 0
	acc[5], bias[5] = 1<<24+1, 0 // not exact in float32
	for i := 8; i < 16; i++ {    // products at exact ties
		acc[i], bias[i] = int32(2*r.IntN(101)-101), 0
	}
	return acc, bias
}
