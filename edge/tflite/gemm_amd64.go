//go:build amd64 && !purego

package tflite

// multiplyFloatPanelsAVX2 is multiplyFloatPanelsGo in AVX2 assembly.
//
//go:noescape
func multiplyFloatPanelsAVX2(a *float32, lda int, b *float32, depth, blocks int,
	out *float32, ldo int, bias *float32, lo, hi float32)

// packFloatPanels returns the filter panels of multiplyFloatPanels, or nil
// without AVX2, where gemm runs its Go loops alone.
func packFloatPanels(w []float32, rows, depth int) []float32 {
	if !useAVX2 || rows < floatPanelCols {
		return nil
	}
	return packFloatPanelsGo(w, rows, depth)
}

// multiplyFloatPanels stores the clamped dot products plus bias of 4 rows
// of a with blocks panels of b in out, as multiplyFloatPanelsGo describes.
func multiplyFloatPanels(a []float32, lda int, b []float32, depth, blocks int,
	out []float32, ldo int, bias []float32, lo, hi float32) {
	checkFloatPanelArgs(a, lda, b, depth, blocks, out, ldo, bias)
	multiplyFloatPanelsAVX2(&a[0], lda, &b[0], depth, blocks, &out[0], ldo, &bias[0], lo, hi)
}

// multiplyAddAVX2 is multiplyAddGo in AVX2 assembly for the first n
// elements, n a multiple of 8.
//
//go:noescape
func multiplyAddAVX2(acc, x, y *float32, n int)

// multiplyAdd computes acc[i] += x[i] * y[i] over the length of acc, as
// multiplyAddGo describes.
func multiplyAdd(acc, x, y []float32) {
	n := len(acc) &^ 7
	if !useAVX2 || n == 0 {
		multiplyAddGo(acc, x, y)
		return
	}
	_, _ = x[len(acc)-1], y[len(acc)-1]
	multiplyAddAVX2(&acc[0], &x[0], &y[0], n)
	multiplyAddGo(acc[n:], x[n:], y[n:])
}
