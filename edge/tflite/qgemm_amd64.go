//go:build amd64 && !purego

package tflite

import "golang.org/x/sys/cpu"

// useAVX2 reports whether the CPU has AVX2, which the assembly kernels need.
var useAVX2 = cpu.X86.HasAVX2

// hasVectorKernels reports whether the assembly kernels run.
var hasVectorKernels = useAVX2

// useVNNI reports whether the CPU has AVX512-VNNI with 256-bit registers
// (AVX512VL), whose VPDPWSSD fuses the multiply and add of
// multiplyPanelsAVX2.
var useVNNI = useAVX2 && cpu.X86.HasAVX512VNNI && cpu.X86.HasAVX512VL

// dotRows2x4 computes the int32 dot products of rows a0 and a1 with the
// cols rows of b, as dotRows2x4Go describes. It runs only without AVX2,
// because multiplyPanels replaces it there.
func dotRows2x4(a0, a1, b []int16, depth, cols int, out []int32) {
	dotRows2x4Go(a0, a1, b, depth, cols, out)
}

// widenInt8AVX2 is widenInt8Go in AVX2 assembly for the first n elements,
// n a multiple of 16.
//
//go:noescape
func widenInt8AVX2(dst *int16, src *int8, n int, zero int32)

// widenInt8 stores src[i] - zero in dst[i] for every element of dst, as
// widenInt8Go describes.
func widenInt8(src []int8, dst []int16, zero int32) {
	n := len(dst) &^ 15
	if !useAVX2 || n == 0 {
		widenInt8Go(src, dst, zero)
		return
	}
	_ = src[len(dst)-1]
	widenInt8AVX2(&dst[0], &src[0], n, zero)
	widenInt8Go(src[n:], dst[n:], zero)
}

// requantizeOnceAVX2 computes applyRoundingOnce for n values, n a multiple
// of 8, with the constants of roundOnceVectorParams. AVX2 has no 64-bit
// arithmetic right shift, so it flips the sign bit, shifts logically and
// subtracts 2^63 >> shift.
//
//go:noescape
func requantizeOnceAVX2(acc, bias, mult *int32, params *int64, out *int8, n int,
	lo, hi, zero int32)

// requantizeOnceVector requantizes the leading multiple of 8 values of acc
// for channels c0 onward, c0 a multiple of 8, like applyRoundingOnce, and
// returns how many it wrote.
func requantizeOnceVector(r *requant, acc, bias []int32, c0 int, out []int8) int {
	n := len(acc) &^ 7
	if !useAVX2 || n == 0 {
		return 0
	}
	_, _, _ = bias[n-1], out[n-1], r.multiplier[c0+n-1]
	params := r.vector[c0/8*24 : (c0+n)/8*24]
	requantizeOnceAVX2(&acc[0], &bias[0], &r.multiplier[c0], &params[0], &out[0], n,
		r.lo-r.zero, r.hi-r.zero, r.zero)
	return n
}

// requantizeFloatAVX2 computes applyFloat for n values, n a multiple of
// 8. lo and hi are the clamp bounds minus the zero point.
//
//go:noescape
func requantizeFloatAVX2(acc, bias *int32, scale *float32, out *int8, n int,
	lo, hi float32, zero int32)

// requantizeFloatVector requantizes the leading multiple of 8 values of acc
// for channels c0 onward like applyFloat, and returns how many it wrote.
func requantizeFloatVector(r *requant, acc, bias []int32, c0 int, out []int8) int {
	n := len(acc) &^ 7
	if !useAVX2 || n == 0 {
		return 0
	}
	_, _, _ = bias[n-1], out[n-1], r.scale[c0+n-1]
	requantizeFloatAVX2(&acc[0], &bias[0], &r.scale[c0], &out[0], n,
		float32(r.lo-r.zero), float32(r.hi-r.zero), r.zero)
	return n
}

// requantizeTwiceAVX2 computes applyRoundingTwice for n values, n a
// multiple of 8, with the constants of roundTwiceVectorParams.
//
//go:noescape
func requantizeTwiceAVX2(acc, bias, mult, params *int32, out *int8, n int, lo, hi, zero int32)

// requantizeTwiceVector requantizes the leading multiple of 8 values of acc
// for channels c0 onward, c0 a multiple of 8, like applyRoundingTwice, and
// returns how many it wrote.
func requantizeTwiceVector(r *requant, acc, bias []int32, c0 int, out []int8) int {
	n := len(acc) &^ 7
	if !useAVX2 || n == 0 {
		return 0
	}
	_, _, _ = bias[n-1], out[n-1], r.multiplier[c0+n-1]
	params := r.twiceVector[c0/8*32 : (c0+n)/8*32]
	requantizeTwiceAVX2(&acc[0], &bias[0], &r.multiplier[c0], &params[0], &out[0], n,
		r.lo, r.hi, r.zero)
	return n
}

// depthwiseRowsAVX2 is depthwiseRowsGo in AVX2 assembly for groups groups
// of depthwiseGroup channels, with the weights of packDepthwisePairs.
//
//go:noescape
func depthwiseRowsAVX2(acc *int32, rows *[]int8, packed *int16, pairs, groups int,
	zero int32)

// packDepthwiseFilter returns the weights of depthwiseRowsAVX2, or nil
// without AVX2.
func packDepthwiseFilter(taps []int16, channels int) []int16 {
	if !useAVX2 {
		return nil
	}
	return packDepthwisePairs(taps, channels)
}

// depthwiseRows stores in acc the depthwise sums that depthwiseRowsGo
// describes. packed is packDepthwiseFilter(taps, len(acc)), and rows holds
// at least its taps rounded up to an even count.
func depthwiseRows(acc []int32, rows [][]int8, taps, packed []int16, zero int32) {
	n := len(acc) &^ (depthwiseGroup - 1)
	if n == 0 || len(packed) == 0 {
		depthwiseRowsGo(acc, rows, taps, 0, zero)
		return
	}
	pairs := len(packed) / (2 * n)
	for _, row := range rows[:2*pairs] {
		_ = row[n-1]
	}
	depthwiseRowsAVX2(&acc[0], &rows[0], &packed[0], pairs, n/depthwiseGroup, zero)
	if n < len(acc) {
		depthwiseRowsGo(acc, rows, taps, n, zero)
	}
}

// usePanels reports whether quantized CONV_2D and FULLY_CONNECTED use the
// packed filter panels of multiplyPanels.
var usePanels = useAVX2

// multiplyPanelsAVX2 is multiplyPanelsGo in AVX2 assembly.
//
//go:noescape
func multiplyPanelsAVX2(a *int16, lda int, b *int16, depth, blocks int, out *int32, ldo int)

// multiplyPanelsVNNI is multiplyPanelsAVX2 with VPDPWSSD in place of
// VPMADDWD and VPADDD.
//
//go:noescape
func multiplyPanelsVNNI(a *int16, lda int, b *int16, depth, blocks int, out *int32, ldo int)

// multiplyPanels stores the dot products of panelRows rows of a with
// blocks panels of b in out, as multiplyPanelsGo describes.
func multiplyPanels(a []int16, lda int, b []int16, depth, blocks int, out []int32, ldo int) {
	if !useAVX2 || blocks == 0 || depth == 0 {
		multiplyPanelsGo(a, lda, b, depth, blocks, out, ldo)
		return
	}
	_, _ = a[(panelRows-1)*lda+depth-1], b[blocks*panelCols*depth-1]
	_ = out[(panelRows-1)*ldo+blocks*panelCols-1]
	if useVNNI {
		multiplyPanelsVNNI(&a[0], lda, &b[0], depth, blocks, &out[0], ldo)
		return
	}
	multiplyPanelsAVX2(&a[0], lda, &b[0], depth, blocks, &out[0], ldo)
}
