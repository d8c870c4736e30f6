package quality

import "golang.org/x/sys/cpu"

// useAVX2 selects the assembly kernel on processors with AVX2 and FMA.
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// squaredEuclideanAVX2 returns Σ(a[i]-b[i])² for len(b) >= len(a), with four
// 4-lane fused multiply-add accumulators. It is implemented in
// kernel_amd64.s.
//
//go:noescape
func squaredEuclideanAVX2(a, b []float64) float64

// squaredEuclidean returns the squared Euclidean distance between a and b.
func squaredEuclidean(a, b []float64) float64 {
	if useAVX2 && len(b) >= len(a) {
		return squaredEuclideanAVX2(a, b)
	}
	return squaredEuclideanGeneric(a, b)
}
