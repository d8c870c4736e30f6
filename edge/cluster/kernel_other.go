//go:build !amd64

package cluster

// TODO: an arm64 NEON dot product; arm64 and armv7 use the portable loops.

// dot returns x·c in float32.
func dot(x, c []float32) float32 { return dotGeneric(x, c) }

// dot2 returns x·a and x·b in float32.
func dot2(x, a, b []float32) (float32, float32) { return dot2Generic(x, a, b) }
