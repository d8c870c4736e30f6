package tflite

// applyRow stores in out[i] the requantized value of acc[i] + bias[c0+i]
// for channel c0+i. It does what apply does element by element, with the
// arithmetic chosen once per row.
func (r *requant) applyRow(acc, bias []int32, c0 int, out []int8) {
	out = out[:len(acc)]
	bias = bias[c0 : c0+len(acc)]
	switch {
	case r.scale != nil:
		n := requantizeFloatVector(r, acc, bias, c0, out)
		for i, a := range acc[n:] {
			out[n+i] = r.applyFloat(a+bias[n+i], c0+n+i)
		}
	case r.singleRounding:
		n := 0
		if r.vector != nil && c0%8 == 0 {
			n = requantizeOnceVector(r, acc, bias, c0, out)
		}
		r.applyRoundingOnce(acc[n:], bias[n:], c0+n, out[n:])
	default:
		n := 0
		if r.twiceVector != nil && c0%8 == 0 {
			n = requantizeTwiceVector(r, acc, bias, c0, out)
		}
		r.applyRoundingTwice(acc[n:], bias[n:], c0+n, out[n:])
	}
}

// applyRoundingTwice is applyRow for multiplyByQuantizedMultiplier's two
// rounding steps, written out in one loop so that the compiler inlines
// them.
func (r *requant) applyRoundingTwice(acc, bias []int32, c0 int, out []int8) {
	mult := r.multiplier[c0 : c0+len(acc)]
	exp := r.exponent[c0 : c0+len(acc)]
	for i, a := range acc {
		left, right := max(exp[i], 0), max(-exp[i], 0)
		v := roundingDoublingHighMul((a+bias[i])*(1<<left), mult[i])
		v = roundingDivideByPOT(v, right) + r.zero
		out[i] = int8(min(max(v, r.lo), r.hi))
	}
}

// applyRoundingOnce is applyRow for singleRounding: one 64-bit product per
// value, rounded by adding half of the divisor and shifting.
func (r *requant) applyRoundingOnce(acc, bias []int32, c0 int, out []int8) {
	mult := r.multiplier[c0 : c0+len(acc)]
	exp := r.exponent[c0 : c0+len(acc)]
	lo, hi := int64(r.lo), int64(r.hi)
	zero := int64(r.zero)
	for i, a := range acc {
		total := uint(31 - exp[i])
		v := (int64(a+bias[i])*int64(mult[i]) + 1<<(total-1)) >> total
		v = int64(int32(v)) + zero
		out[i] = int8(min(max(v, lo), hi))
	}
}
