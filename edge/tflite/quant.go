package tflite

import (
	"encoding/binary"
	"math"
)

// quantParams are the per-tensor affine parameters of a quantized tensor.
// For UINT8 tensors zero is the file's zero point minus 128, matching the
// shifted storage of UINT8 data.
type quantParams struct {
	scale float32
	zero  int32
}

// isQuantized reports whether type t is stored as int8 by the interpreter.
func isQuantized(t TensorType) bool { return t == Int8 || t == Uint8 }

// quantParams returns the first scale and zero point of tensor t, or zero
// values when it has none.
func (m *Model) quantParams(t int) quantParams {
	info := &m.Tensors[t]
	var p quantParams
	if q := info.Quantization; q != nil {
		if len(q.Scale) > 0 {
			p.scale = q.Scale[0]
		}
		if len(q.ZeroPoint) > 0 {
			p.zero = int32(q.ZeroPoint[0])
		}
	}
	if info.Type == Uint8 {
		p.zero -= 128
	}
	return p
}

// quantizeFloats stores round(x/scale) + zero, clamped to int8, as
// TFLite's QUANTIZE does.
func quantizeFloats(dst []int8, src []float32, scale float32, zero int32) {
	src = src[:len(dst)]
	for i, x := range src {
		dst[i] = saturateInt8(int32(roundHalfAway(x/scale)) + zero)
	}
}

// quantizeFloatsToEven stores x * (1/scale), clamped to the int8 range
// less zero, rounded half to even, plus zero: the arithmetic of XNNPACK's
// float-to-int8 conversion, which multiplies by the float32 reciprocal.
func quantizeFloatsToEven(dst []int8, src []float32, scale float32, zero int32) {
	src = src[:len(dst)]
	inv := 1 / scale
	lo, hi := float32(math.MinInt8-zero), float32(math.MaxInt8-zero)
	for i, x := range src {
		v := min(max(x*inv, lo), hi)
		dst[i] = int8(int32(math.RoundToEven(float64(v))) + zero)
	}
}

// dequantizeInt8 stores scale * (q - zero) as float32.
func dequantizeInt8(dst []float32, src []int8, scale float32, zero int32) {
	src = src[:len(dst)]
	for i, q := range src {
		dst[i] = scale * float32(int32(q)-zero)
	}
}

// saturateInt8 clamps v to [-128, 127].
func saturateInt8(v int32) int8 {
	return int8(min(max(v, math.MinInt8), math.MaxInt8))
}

// decodeQuantized converts file bytes of an INT8 or UINT8 tensor into the
// interpreter's int8 storage.
func decodeQuantized(dst []int8, data []byte, t TensorType) {
	data = data[:len(dst)]
	for i, b := range data {
		if t == Uint8 {
			b ^= 0x80 // b - 128 in two's complement
		}
		dst[i] = int8(b)
	}
}

// encodeQuantized converts int8 storage back to file bytes of type t.
func encodeQuantized(src []int8, t TensorType) []byte {
	out := make([]byte, len(src))
	for i, q := range src {
		out[i] = byte(q)
		if t == Uint8 {
			out[i] ^= 0x80
		}
	}
	return out
}

func encodeFloat32(v []float32) []byte {
	out := make([]byte, 0, 4*len(v))
	for _, x := range v {
		out = binary.LittleEndian.AppendUint32(out, math.Float32bits(x))
	}
	return out
}
