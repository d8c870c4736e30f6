//go:build !amd64 || purego

package tflite

// useAVX2 is false where no AVX2 kernel exists.
var useAVX2 = false

// requantizeOnceVector has no vector kernel here: it requantizes no values
// and leaves them all to applyRoundingOnce.
func requantizeOnceVector(r *requant, acc, bias []int32, c0 int, out []int8) int { return 0 }

// requantizeTwiceVector has no vector kernel here: it requantizes no values
// and leaves them all to applyRoundingTwice.
func requantizeTwiceVector(r *requant, acc, bias []int32, c0 int, out []int8) int { return 0 }
