// Package half converts between float32 and IEEE 754 half precision
// (binary16), the storage type of fp16 model weights and of compact vectors
// on the wire.
package half

import "math"

// FromFloat32 rounds x to the nearest float16, ties to even. Values beyond the
// float16 range become infinities and NaN stays NaN.
func FromFloat32(x float32) uint16 {
	bits := math.Float32bits(x)
	sign := uint16(bits>>16) & 0x8000
	exp := int(bits>>23&0xFF) - 127 + 15
	mant := bits & 0x7FFFFF

	switch {
	case bits&0x7FFFFFFF > 0x7F800000:
		return sign | 0x7E00
	case exp >= 31:
		return sign | 0x7C00
	case exp <= 0:
		return sign | subnormalHalf(mant|0x800000, uint(14-exp))
	}
	half := uint32(exp)<<10 | mant>>13
	return sign + uint16(roundEven(half, mant&0x1FFF, 0x1000))
}

// subnormalHalf shifts a 24-bit mantissa right by shift with rounding.
func subnormalHalf(mant uint32, shift uint) uint16 {
	if shift > 24 {
		return 0
	}
	rest := mant & (1<<shift - 1)
	return uint16(roundEven(mant>>shift, rest, 1<<(shift-1)))
}

// roundEven rounds v up when the dropped bits rest exceed half, or equal it
// and v is odd.
func roundEven(v, rest, half uint32) uint32 {
	if rest > half || (rest == half && v&1 == 1) {
		return v + 1
	}
	return v
}

// ToFloat32 widens a float16 to float32 exactly.
func ToFloat32(h uint16) float32 {
	sign := uint32(h&0x8000) << 16
	exp := uint32(h>>10) & 0x1F
	mant := uint32(h & 0x3FF)
	switch {
	case exp == 0x1F:
		return math.Float32frombits(sign | 0x7F800000 | mant<<13)
	case exp != 0:
		return math.Float32frombits(sign | (exp+112)<<23 | mant<<13)
	}
	v := float32(mant) / (1 << 24)
	if sign != 0 {
		return -v
	}
	return v
}
