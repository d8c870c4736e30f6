package tflite

// floatPanelCols is the number of filter rows, or output channels, of one
// packed float32 panel.
const floatPanelCols = 16

// packFloatPanelsGo returns the leading whole panels of floatPanelCols rows
// of w, each depth values long, laid out [panel][depth][floatPanelCols], so
// that one load reads one depth position of every row of a panel.
func packFloatPanelsGo(w []float32, rows, depth int) []float32 {
	panels := rows / floatPanelCols
	out := make([]float32, panels*floatPanelCols*depth)
	for i := range out {
		panel, k, c := i/(floatPanelCols*depth), i/floatPanelCols%depth, i%floatPanelCols
		out[i] = w[(panel*floatPanelCols+c)*depth+k]
	}
	return out
}

// multiplyFloatPanelsGo stores in out the dot products of 4 rows of a, lda
// values apart, with blocks panels of packFloatPanelsGo at b, each depth
// values deep, plus bias and clamped to [lo, hi]: out[r*ldo+c] for row r
// and filter row c. Each sum adds the products in depth order, like
// dot4x2. On amd64 each multiply and add rounds once, and on arm64 the
// compiler fuses each s += x * w into one FMADDS with one rounding.
func multiplyFloatPanelsGo(a []float32, lda int, b []float32, depth, blocks int,
	out []float32, ldo int, bias []float32, lo, hi float32) {
	for blk := range blocks {
		panel := b[blk*floatPanelCols*depth : (blk+1)*floatPanelCols*depth]
		for r := range 4 {
			row := a[r*lda : r*lda+depth]
			for c := range floatPanelCols {
				var s float32
				for k, x := range row {
					s += x * panel[k*floatPanelCols+c]
				}
				o := blk*floatPanelCols + c
				out[r*ldo+o] = clamp(s+bias[o], lo, hi)
			}
		}
	}
}

// checkFloatPanelArgs panics like an out-of-range index unless a, b, out
// and bias hold every element that multiplyFloatPanelsGo reads or writes,
// because the assembly kernels do not check.
func checkFloatPanelArgs(a []float32, lda int, b []float32, depth, blocks int,
	out []float32, ldo int, bias []float32) {
	_, _ = a[3*lda+depth-1], b[blocks*floatPanelCols*depth-1]
	_, _ = out[3*ldo+blocks*floatPanelCols-1], bias[blocks*floatPanelCols-1]
}
