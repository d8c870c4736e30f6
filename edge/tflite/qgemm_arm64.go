//go:build arm64 && !purego

package tflite

// hasVectorKernels reports whether the assembly kernels run. Every arm64
// CPU has NEON.
var hasVectorKernels = true

// dotRows2x4NEON is dotRows2x4Go in NEON assembly.
//
//go:noescape
func dotRows2x4NEON(a0, a1, b *int16, depth, cols int, out *int32)

// dotRows2x4 computes the int32 dot products of rows a0 and a1 with the
// cols rows of b, as dotRows2x4Go describes.
func dotRows2x4(a0, a1, b []int16, depth, cols int, out []int32) {
	if cols == 0 {
		return
	}
	_, _, _, _ = a0[depth-1], a1[depth-1], b[cols*depth-1], out[2*cols-1]
	dotRows2x4NEON(&a0[0], &a1[0], &b[0], depth, cols, &out[0])
}

// widenInt8NEON is widenInt8Go in NEON assembly for the first n elements,
// n a multiple of 16.
//
//go:noescape
func widenInt8NEON(dst *int16, src *int8, n int, zero int32)

// widenInt8 stores src[i] - zero in dst[i] for every element of dst, as
// widenInt8Go describes.
func widenInt8(src []int8, dst []int16, zero int32) {
	n := len(dst) &^ 15
	if n == 0 {
		widenInt8Go(src, dst, zero)
		return
	}
	_ = src[len(dst)-1]
	widenInt8NEON(&dst[0], &src[0], n, zero)
	widenInt8Go(src[n:], dst[n:], zero)
}

// depthwiseRowsNEON is depthwiseRowsGo in NEON assembly for groups groups
// of depthwiseGroup channels, with count taps of channels weights each.
//
//go:noescape
func depthwiseRowsNEON(acc *int32, rows *[]int8, taps *int16, count, channels, groups int,
	zero int32)

// depthwiseRows stores in acc the depthwise sums that depthwiseRowsGo
// describes. The NEON kernel reads taps as they are, so packed is unused.
func depthwiseRows(acc []int32, rows [][]int8, taps, packed []int16, zero int32) {
	n := len(acc) &^ (depthwiseGroup - 1)
	count := len(taps) / max(len(acc), 1)
	if n == 0 || count == 0 {
		depthwiseRowsGo(acc, rows, taps, 0, zero)
		return
	}
	for _, row := range rows[:count] {
		_ = row[n-1]
	}
	depthwiseRowsNEON(&acc[0], &rows[0], &taps[0], count, len(acc), n/depthwiseGroup, zero)
	if n < len(acc) {
		depthwiseRowsGo(acc, rows, taps, n, zero)
	}
}

// packDepthwiseFilter returns nil, because the NEON depthwise kernel reads
// the filter as it is.
func packDepthwiseFilter(taps []int16, channels int) []int16 { return nil }

// usePanels is false: the matrix product uses dotRows2x4 here.
var usePanels = false

// multiplyPanels stores the dot products of panelRows rows of a with
// blocks panels of b in out, as multiplyPanelsGo describes.
func multiplyPanels(a []int16, lda int, b []int16, depth, blocks int, out []int32, ldo int) {
	multiplyPanelsGo(a, lda, b, depth, blocks, out, ldo)
}
