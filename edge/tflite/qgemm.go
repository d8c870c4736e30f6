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

// roundOnceVectorParams returns the constants of requantizeOnceVector for
// each full group of 8 channels: 24 int64 values, the rounding term, the
// shift and the sign correction of the even channels (0, 2, 4, 6 of the
// group) and then of the odd ones, four values each.
func roundOnceVectorParams(exponent []int) []int64 {
	groups := len(exponent) / 8
	out := make([]int64, 0, 24*groups)
	for g := range groups {
		var round, shift, correction [2][4]int64
		for i := range 8 {
			total := int64(31 - exponent[8*g+i])
			round[i%2][i/2] = 1 << (total - 1)
			shift[i%2][i/2] = total
			correction[i%2][i/2] = int64(uint64(1<<63) >> total)
		}
		for _, part := range [][2][4]int64{round, shift, correction} {
			out = append(out, part[0][:]...)
			out = append(out, part[1][:]...)
		}
	}
	return out
}

// roundTwiceVectorParams returns the constants of requantizeTwiceVector for
// each full group of 8 channels: 32 int32 values, the left shift, the right
// shift, the remainder mask and half of that mask of each channel, eight
// values each.
func roundTwiceVectorParams(exponent []int) []int32 {
	groups := len(exponent) / 8
	out := make([]int32, 32*groups)
	for g := range groups {
		p := out[32*g : 32*(g+1)]
		for i, e := range exponent[8*g : 8*g+8] {
			right := max(-e, 0)
			p[i], p[8+i] = int32(max(e, 0)), int32(right)
			p[16+i] = int32(1)<<right - 1
			p[24+i] = p[16+i] >> 1
		}
	}
	return out
}
