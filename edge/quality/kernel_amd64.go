package quality

import "golang.org/x/sys/cpu"

// useAVX2 selects the assembly kernel on processors with AVX2 and FMA.
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// squaredEuclidean returns the squared Euclidean distance between a and b.
func squaredEuclidean(a, b []float64) float64 {
	if useAVX2 && len(b) >= len(a) {
		var out [1]float64
		squaredDistancesAVX2(a, b, out[:])
		return out[0]
	}
	return squaredEuclideanGeneric(a, b)
}

// squaredDistancesAVX2 sets out[r] to the squared Euclidean distance
// between y and row r of rows, which holds len(out) rows of len(y) values
// one after another, with four 4-lane fused multiply-add accumulators per
// row. rows must hold at least len(out)·len(y) values. It is implemented in
// kernel_amd64.s.
//
//go:noescape
func squaredDistancesAVX2(y, rows, out []float64)

// squaredDistances sets out[r] to the squared Euclidean distance between y
// and row r of rows, len(y) values each, one call for the whole block.
func squaredDistances(y, rows, out []float64) {
	if useAVX2 && len(rows) >= len(out)*len(y) {
		squaredDistancesAVX2(y, rows, out)
		return
	}
	squaredDistancesGeneric(y, rows, out)
}
