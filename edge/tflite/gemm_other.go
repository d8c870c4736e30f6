//go:build (!amd64 && !arm64) || purego

package tflite

// packFloatPanels returns nil: gemm runs its Go loops alone here.
func packFloatPanels(w []float32, rows, depth int) []float32 { return nil }

// multiplyFloatPanels stores the clamped dot products plus bias of 4 rows
// of a with blocks panels of b in out, as multiplyFloatPanelsGo describes.
func multiplyFloatPanels(a []float32, lda int, b []float32, depth, blocks int,
	out []float32, ldo int, bias []float32, lo, hi float32) {
	multiplyFloatPanelsGo(a, lda, b, depth, blocks, out, ldo, bias, lo, hi)
}

// multiplyAdd computes acc[i] += x[i] * y[i] over the length of acc, as
// multiplyAddGo describes.
func multiplyAdd(acc, x, y []float32) { multiplyAddGo(acc, x, y) }
