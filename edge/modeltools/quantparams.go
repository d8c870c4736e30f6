package modeltools

import (
	"encoding/binary"
	"math"
)

// affine is the per-tensor scale and zero point of an INT8 tensor.
type affine struct {
	scale float32
	zero  int64
}

// activationParams returns asymmetric int8 parameters covering r, widened
// to include 0 so that zero padding and ReLU outputs are exact. A range of
// one point gets scale 1.
func activationParams(r Range) affine {
	lo, hi := min(float64(r.Min), 0), max(float64(r.Max), 0)
	if hi-lo == 0 || math.IsNaN(hi-lo) {
		return affine{scale: 1, zero: -128}
	}
	scale := (hi - lo) / 255
	zero := math.Round(-128 - lo/scale)
	return affine{scale: float32(scale), zero: int64(min(max(zero, -128), 127))}
}

// symmetricWeights quantizes w to int8 with one symmetric scale per slice
// along the axis whose index cycles as (i / inner) % channels: scale =
// max|w| / 127 and zero point 0. A slice of zeros gets scale 1.
func symmetricWeights(w []float32, channels, inner int) ([]byte, []float32) {
	scales := make([]float32, channels)
	for i, x := range w {
		ch := (i / inner) % channels
		scales[ch] = max(scales[ch], float32(math.Abs(float64(x))))
	}
	for ch, s := range scales {
		if s == 0 {
			scales[ch] = 1
		} else {
			scales[ch] = s / 127
		}
	}

	q := make([]byte, len(w))
	for i, x := range w {
		v := math.Round(float64(x / scales[(i/inner)%channels]))
		q[i] = byte(int8(min(max(v, -127), 127)))
	}
	return q, scales
}

// int32Bias quantizes bias b with scale inputScale * weightScales[i] per
// channel, saturating to the int32 range, and returns the file bytes and
// the scales.
func int32Bias(b []float32, inputScale float32, weightScales []float32) ([]byte, []float32) {
	scales := make([]float32, len(b))
	out := make([]byte, 0, 4*len(b))
	for i, x := range b {
		scales[i] = inputScale * weightScales[min(i, len(weightScales)-1)]
		v := math.Round(float64(x) / float64(scales[i]))
		v = min(max(v, math.MinInt32), math.MaxInt32)
		out = binary.LittleEndian.AppendUint32(out, uint32(int32(v)))
	}
	return out, scales
}

// quantizeAffine quantizes constant values v with per-tensor parameters p.
func quantizeAffine(v []float32, p affine) []byte {
	out := make([]byte, len(v))
	for i, x := range v {
		q := math.Round(float64(x/p.scale)) + float64(p.zero)
		out[i] = byte(int8(min(max(q, -128), 127)))
	}
	return out
}
