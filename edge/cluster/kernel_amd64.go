package cluster

import "golang.org/x/sys/cpu"

// useAVX2 selects the assembly dot product on processors with AVX2 and FMA.
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// dotAVX2 returns x·c for len(c) >= len(x), with four 8-lane fused
// multiply-add accumulators. It is implemented in kernel_amd64.s.
//
//go:noescape
func dotAVX2(x, c []float32) float32

// dot returns x·c in float32.
func dot(x, c []float32) float32 {
	if useAVX2 && len(c) >= len(x) {
		return dotAVX2(x, c)
	}
	return dotGeneric(x, c)
}

// dot2 returns x·a and x·b in float32.
func dot2(x, a, b []float32) (float32, float32) {
	if useAVX2 && len(a) >= len(x) && len(b) >= len(x) {
		return dotAVX2(x, a), dotAVX2(x, b)
	}
	return dot2Generic(x, a, b)
}
