//go:build !amd64 || purego

package tflite

// useAVX2 is false where no assembly kernel exists.
var useAVX2 = false

// dotRows2x4 computes the int32 dot products of rows a0 and a1 with the
// cols rows of b, as dotRows2x4Go describes.
func dotRows2x4(a0, a1, b []int16, depth, cols int, out []int32) {
	dotRows2x4Go(a0, a1, b, depth, cols, out)
}

// multiplyAddInt8 adds w[i] * (x[i] - zero) to acc[i], as
// multiplyAddInt8Go describes.
func multiplyAddInt8(acc []int32, x []int8, w []int16, zero int32) {
	multiplyAddInt8Go(acc, x, w, zero)
}

// requantizeOnceVector has no vector kernel here: it requantizes no values
// and leaves them all to applyRoundingOnce.
func requantizeOnceVector(r *requant, acc, bias []int32, c0 int, out []int8) int { return 0 }

// requantizeTwiceVector has no vector kernel here: it requantizes no values
// and leaves them all to applyRoundingTwice.
func requantizeTwiceVector(r *requant, acc, bias []int32, c0 int, out []int8) int { return 0 }
