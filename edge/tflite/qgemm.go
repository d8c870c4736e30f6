package tflite

// qgemmBlockBytes bounds the int16 filter rows that one column block of
// the quantized matrix product reads, so that they stay in the L2 cache
// while the rows of a patch block stream past them.
const qgemmBlockBytes = 96 << 10

// qgemmLanes is the int16 count that rows of the quantized matrix product
// are padded to a multiple of: one 256-bit vector.
const qgemmLanes = 16

// padDepth rounds depth up to a multiple of qgemmLanes.
func padDepth(depth int) int { return (depth + qgemmLanes - 1) &^ (qgemmLanes - 1) }

// dotRows2x4Go computes the int32 dot products of rows a0 and a1 with the
// cols rows of b, all depth int16 values long and contiguous, into out:
// out[c] for a0 and out[cols+c] for a1. Sums wrap on overflow like int32
// accumulators in C. cols is a multiple of 4 and depth of qgemmLanes.
func dotRows2x4Go(a0, a1, b []int16, depth, cols int, out []int32) {
	a0, a1 = a0[:depth], a1[:depth]
	for c := range cols {
		w := b[c*depth : (c+1)*depth]
		var s0, s1 int32
		for k, x := range w {
			s0 += int32(a0[k]) * int32(x)
			s1 += int32(a1[k]) * int32(x)
		}
		out[c], out[cols+c] = s0, s1
	}
}

// multiplyAddInt8Go adds w[i] * (x[i] - zero) to acc[i] for every element
// of acc, wrapping on overflow like TFLite's int32 accumulators.
func multiplyAddInt8Go(acc []int32, x []int8, w []int16, zero int32) {
	x, w = x[:len(acc)], w[:len(acc)]
	for i := range acc {
		acc[i] += int32(w[i]) * (int32(x[i]) - zero)
	}
}
