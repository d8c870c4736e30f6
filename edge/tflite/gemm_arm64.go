//go:build arm64 && !purego

package tflite

// multiplyFloatPanelsNEON is multiplyFloatPanelsGo in NEON assembly.
//
//go:noescape
func multiplyFloatPanelsNEON(a *float32, lda int, b *float32, depth, blocks int,
	out *float32, ldo int, bias *float32, lo, hi float32)

// packFloatPanels returns the filter panels of multiplyFloatPanels, or nil
// for fewer than floatPanelCols rows, where gemm runs its Go loops alone.
func packFloatPanels(w []float32, rows, depth int) []float32 {
	if rows < floatPanelCols {
		return nil
	}
	return packFloatPanelsGo(w, rows, depth)
}

// multiplyFloatPanels stores the clamped dot products plus bias of 4 rows
// of a with blocks panels of b in out, as multiplyFloatPanelsGo describes.
func multiplyFloatPanels(a []float32, lda int, b []float32, depth, blocks int,
	out []float32, ldo int, bias []float32, lo, hi float32) {
	checkFloatPanelArgs(a, lda, b, depth, blocks, out, ldo, bias)
	multiplyFloatPanelsNEON(&a[0], lda, &b[0], depth, blocks, &out[0], ldo, &bias[0], lo, hi)
}

// multiplyAdd computes acc[i] += x[i] * y[i] over the length of acc, as
// multiplyAddGo describes.
func multiplyAdd(acc, x, y []float32) { multiplyAddGo(acc, x, y) }
