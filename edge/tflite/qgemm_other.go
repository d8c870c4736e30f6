//go:build (!amd64 && !arm64) || purego

package tflite

// hasVectorKernels reports whether the assembly kernels run.
var hasVectorKernels = false

// dotRows2x4 computes the int32 dot products of rows a0 and a1 with the
// cols rows of b, as dotRows2x4Go describes.
func dotRows2x4(a0, a1, b []int16, depth, cols int, out []int32) {
	dotRows2x4Go(a0, a1, b, depth, cols, out)
}

// widenInt8 stores src[i] - zero in dst[i] for every element of dst, as
// widenInt8Go describes.
func widenInt8(src []int8, dst []int16, zero int32) { widenInt8Go(src, dst, zero) }

// packDepthwiseFilter returns nil, because depthwiseRows reads the filter
// as it is here.
func packDepthwiseFilter(taps []int16, channels int) []int16 { return nil }

// depthwiseRows stores in acc the depthwise sums that depthwiseRowsGo
// describes.
func depthwiseRows(acc []int32, rows [][]int8, taps, packed []int16, zero int32) {
	depthwiseRowsGo(acc, rows, taps, 0, zero)
}

// usePanels is false: the matrix product uses dotRows2x4 here.
var usePanels = false

// multiplyPanels stores the dot products of panelRows rows of a with
// blocks panels of b in out, as multiplyPanelsGo describes.
func multiplyPanels(a []int16, lda int, b []int16, depth, blocks int, out []int32, ldo int) {
	multiplyPanelsGo(a, lda, b, depth, blocks, out, ldo)
}
