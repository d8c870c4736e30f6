package tflite

import "math"

// This file holds TFLite's integer requantization arithmetic. A real
// multiplier m is stored as a Q0.31 significand and a power-of-two
// exponent. An int32 accumulator is scaled by m with a rounding doubling
// high multiply and then a rounding right shift, like TFLite's
// MultiplyByQuantizedMultiplier. The stored outputs in testdata/ops check
// it against the TFLite runtime.

// quantizeMultiplier splits m into a significand q in [2^30, 2^31) and an
// exponent so that m = q * 2^(exponent-31). Multipliers below 2^-31 and
// zero become 0, 0.
func quantizeMultiplier(m float64) (q int32, exponent int) {
	if m == 0 {
		return 0, 0
	}
	frac, exp := math.Frexp(m)
	fixed := int64(math.Round(frac * (1 << 31)))
	if fixed == 1<<31 {
		fixed /= 2
		exp++
	}
	if exp < -31 {
		return 0, 0
	}
	return int32(fixed), exp
}

// roundingDoublingHighMul returns the high 32 bits of 2*a*b, rounded to
// nearest with ties away from zero, saturating the one overflow case.
func roundingDoublingHighMul(a, b int32) int32 {
	if a == math.MinInt32 && b == math.MinInt32 {
		return math.MaxInt32
	}
	ab := int64(a) * int64(b)
	nudge := int64(1 << 30)
	if ab < 0 {
		nudge = 1 - 1<<30
	}
	// Go's division truncates toward zero like C++'s.
	return int32((ab + nudge) / (1 << 31))
}

// roundingDivideByPOT returns x / 2^exponent rounded to nearest with ties
// away from zero.
func roundingDivideByPOT(x int32, exponent int) int32 {
	mask := int32(1)<<exponent - 1
	remainder := x & mask
	threshold := mask >> 1
	if x < 0 {
		threshold++
	}
	result := x >> exponent
	if remainder > threshold {
		result++
	}
	return result
}

// multiplyByQuantizedMultiplier returns x * q * 2^(exponent-31) with
// TFLite's rounding.
func multiplyByQuantizedMultiplier(x, q int32, exponent int) int32 {
	left, right := 0, 0
	if exponent > 0 {
		left = exponent
	} else {
		right = -exponent
	}
	return roundingDivideByPOT(roundingDoublingHighMul(x*(1<<left), q), right)
}

// multiplyRoundingOnce returns x * q * 2^(exponent-31) computed in 64 bits
// with one rounding, ties toward positive infinity, as the ruy GEMM library
// does. Exponents above 30 are not produced by quantizeMultiplier for the
// multipliers below 2 that convolutions use.
func multiplyRoundingOnce(x, q int32, exponent int) int32 {
	total := 31 - exponent
	round := int64(1) << (total - 1)
	return int32((int64(x)*int64(q) + round) >> total)
}

// roundHalfAway rounds f to the nearest integer with ties away from zero,
// like C's roundf.
func roundHalfAway(f float32) float32 {
	return float32(math.Round(float64(f)))
}
