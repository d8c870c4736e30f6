//go:build arm64 && !purego

package tflite

// requantizeFloatNEON computes applyFloat for n values, n a multiple of 8.
// lo and hi are the clamp bounds minus the zero point.
//
//go:noescape
func requantizeFloatNEON(acc, bias *int32, scale *float32, out *int8, n int,
	lo, hi float32, zero int32)

// requantizeFloatVector requantizes the leading multiple of 8 values of acc
// for channels c0 onward like applyFloat, and returns how many it wrote.
func requantizeFloatVector(r *requant, acc, bias []int32, c0 int, out []int8) int {
	n := len(acc) &^ 7
	if n == 0 {
		return 0
	}
	_, _, _ = bias[n-1], out[n-1], r.scale[c0+n-1]
	requantizeFloatNEON(&acc[0], &bias[0], &r.scale[c0], &out[0], n,
		float32(r.lo-r.zero), float32(r.hi-r.zero), r.zero)
	return n
}
