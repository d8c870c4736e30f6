package half

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestHalfKnownValues(t *testing.T) {
	tests := []struct {
		in   float32
		want uint16
	}{
		{0, 0x0000},
		{1, 0x3C00},
		{-2, 0xC000},
		{65504, 0x7BFF},
		{65520, 0x7C00}, // rounds up to +Inf
		{float32(math.Inf(-1)), 0xFC00},
		{5.960464477539063e-08, 0x0001},  // smallest subnormal
		{2.9802322387695312e-08, 0x0000}, // half of it: tie to even, zero
		{1.0009765625, 0x3C01},
		{1.00048828125, 0x3C00}, // tie between 0x3C00 and 0x3C01: even
	}
	for _, tt := range tests {
		if got := FromFloat32(tt.in); got != tt.want {
			t.Errorf("FromFloat32(%g) = %#04x, want %#04x", tt.in, got, tt.want)
		}
	}
	if h := FromFloat32(float32(math.NaN())); h&0x7C00 != 0x7C00 || h&0x3FF == 0 {
		t.Errorf("FromFloat32(NaN) = %#04x, not a NaN", h)
	}
}

func TestHalfRoundTripAllValues(t *testing.T) {
	for h := 0; h < 1<<16; h++ {
		f := ToFloat32(uint16(h))
		if f != f {
			continue
		}
		if got := FromFloat32(f); got != uint16(h) {
			t.Fatalf("round trip of %#04x gave %#04x via %g", h, got, f)
		}
	}
}

func TestHalfNearest(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 100000; i++ {
		x := float32(rng.NormFloat64() * math.Pow(10, float64(rng.IntN(10)-6)))
		got := ToFloat32(FromFloat32(x))
		lo, hi := neighbours(x)
		if math.Abs(float64(got-x)) > math.Min(math.Abs(float64(lo-x)), math.Abs(float64(hi-x))) {
			t.Fatalf("%g rounded to %g, but %g or %g is nearer", x, got, lo, hi)
		}
	}
}

// neighbours returns the float16 values next to x's rounding on either side.
func neighbours(x float32) (float32, float32) {
	h := FromFloat32(x)
	return ToFloat32(h - 1), ToFloat32(h + 1)
}
