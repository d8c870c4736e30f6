package tflite

// The packed form of the quantized matrix product computes a tile of 4
// patch rows by panelCols filter rows at a time as outer products. One
// int16 pair of each patch row is broadcast and multiplied with the pairs
// of panelCols filter rows, so no horizontal sums are needed. The filter is
// packed once when the interpreter is built.

// panelCols is the number of filter rows, or output channels, of one
// packed panel.
const panelCols = 16

// panelRows is the number of patch rows of one tile of the packed product.
const panelRows = 4

// packPanels returns the rows rows of filter, each depthPad values long,
// as panels of panelCols rows laid out [panel][depthPad/2][panelCols][2]:
// the pair of depth positions 2p and 2p+1 of each row of the panel side by
// side. Rows past rows are zero.
func packPanels(filter []int16, rows, depthPad int) []int16 {
	panels := (rows + panelCols - 1) / panelCols
	out := make([]int16, panels*panelCols*depthPad)
	for i := range out {
		panel, rest := i/(panelCols*depthPad), i%(panelCols*depthPad)
		pair, c, j := rest/(2*panelCols), rest/2%panelCols, rest%2
		if row := panel*panelCols + c; row < rows {
			out[i] = filter[row*depthPad+2*pair+j]
		}
	}
	return out
}

// multiplyPanelsGo stores in out the int32 dot products of panelRows rows
// of a, lda values apart, with the blocks panels of packPanels at b, each
// depth values deep: out[r*ldo+c] for row r and filter row c. Sums wrap
// on overflow like int32 accumulators in C.
func multiplyPanelsGo(a []int16, lda int, b []int16, depth, blocks int, out []int32, ldo int) {
	for blk := range blocks {
		panel := b[blk*panelCols*depth : (blk+1)*panelCols*depth]
		for r := range panelRows {
			row := a[r*lda : r*lda+depth]
			for c := range panelCols {
				var s int32
				for p := range depth / 2 {
					w := panel[p*2*panelCols+2*c:]
					s += int32(row[2*p])*int32(w[0]) + int32(row[2*p+1])*int32(w[1])
				}
				out[r*ldo+blk*panelCols+c] = s
			}
		}
	}
}
