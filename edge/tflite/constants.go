package tflite

import (
	"encoding/binary"
	"math"
)

// isConstant reports whether tensor t has constant data in the file.
func (m *Model) isConstant(t int) bool { return len(m.tensorData(t)) > 0 }

// isFoldable reports whether op is a DEQUANTIZE whose input is constant, so
// its output can be computed once instead of on every Invoke.
func (m *Model) isFoldable(op *Operator) bool {
	return op.Code == OpDequantize && len(op.Inputs) == 1 && len(op.Outputs) == 1 &&
		op.Inputs[0] >= 0 && m.isConstant(op.Inputs[0])
}

// floatConstant returns the float32 values of tensor t, which is either a
// FLOAT32 constant or the output of a foldable DEQUANTIZE. Results are
// cached in the Model and must not be modified.
func (m *Model) floatConstant(t int) ([]float32, error) {
	m.weights.mu.Lock()
	defer m.weights.mu.Unlock()

	if v, ok := m.weights.floats[t]; ok {
		return v, nil
	}
	v, err := m.decodeFloatConstant(t)
	if err != nil {
		return nil, err
	}
	if m.weights.floats == nil {
		m.weights.floats = make(map[int][]float32)
	}
	m.weights.floats[t] = v
	return v, nil
}

func (m *Model) decodeFloatConstant(t int) ([]float32, error) {
	if p := m.producer[t]; p >= 0 {
		op := &m.Operators[p]
		return dequantize(&m.Tensors[op.Inputs[0]], m.tensorData(op.Inputs[0]), p)
	}
	info := &m.Tensors[t]
	if info.Type != Float32 {
		return nil, &UnsupportedError{Op: "constant", OpIndex: -1, Tensor: t,
			Detail: "constant of type " + info.Type.String() + " used as float32"}
	}
	return decodeFloat32(m.tensorData(t)), nil
}

func decodeFloat32(data []byte) []float32 {
	out := make([]float32, len(data)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:]))
	}
	return out
}

// dequantize converts the constant input of DEQUANTIZE op opIndex to
// float32. FLOAT16 converts exactly, and INT8, UINT8 and INT16 use the affine
// parameters of the input tensor.
func dequantize(info *TensorInfo, data []byte, opIndex int) ([]float32, error) {
	switch info.Type {
	case Float16:
		out := make([]float32, len(data)/2)
		for i := range out {
			out[i] = float16ToFloat32(binary.LittleEndian.Uint16(data[2*i:]))
		}
		return out, nil
	case Int8, Uint8, Int16:
		return dequantizeAffine(info, data, opIndex)
	}
	return nil, &UnsupportedError{Op: OpDequantize.String(), OpIndex: opIndex, Tensor: -1,
		Detail: "input type " + info.Type.String()}
}

// float16ToFloat32 converts IEEE 754 binary16 bits to float32, keeping
// subnormals, infinities and NaN payloads.
func float16ToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff

	switch {
	case exp == 0x1f:
		return math.Float32frombits(sign | 0x7f800000 | frac<<13)
	case exp == 0:
		// Subnormal or zero: the value is frac * 2^-24, exact in float32.
		v := float32(frac) * (1.0 / (1 << 24))
		if sign != 0 {
			v = -v
		}
		return v
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | frac<<13)
}

// dequantizeAffine applies real = scale * (q - zeroPoint), per tensor or per
// channel along the quantized dimension.
func dequantizeAffine(info *TensorInfo, data []byte, opIndex int) ([]float32, error) {
	q := info.Quantization
	channels, inner, err := quantLayout(info, opIndex)
	if err != nil {
		return nil, err
	}

	n := len(data) / info.Type.byteSize()
	out := make([]float32, n)
	for i := range out {
		c := (i / inner) % channels
		zero := int64(0)
		if len(q.ZeroPoint) > 0 {
			zero = q.ZeroPoint[c%len(q.ZeroPoint)]
		}
		out[i] = q.Scale[c] * float32(quantizedAt(info.Type, data, i)-zero)
	}
	return out, nil
}

// quantLayout checks the quantization parameters of info and returns the
// number of scales and the element stride between consecutive channels.
func quantLayout(info *TensorInfo, opIndex int) (channels, inner int, err error) {
	q := info.Quantization
	if q == nil || len(q.Scale) == 0 {
		return 0, 0, malformedf("op %d (DEQUANTIZE): input has no quantization scale", opIndex)
	}
	if len(q.ZeroPoint) > 1 && len(q.ZeroPoint) != len(q.Scale) {
		return 0, 0, malformedf("op %d (DEQUANTIZE): %d scales but %d zero points",
			opIndex, len(q.Scale), len(q.ZeroPoint))
	}
	if len(q.Scale) == 1 {
		return 1, 1, nil
	}

	d := q.Dimension
	if d < 0 || d >= len(info.Shape) || info.Shape[d] != len(q.Scale) {
		return 0, 0, malformedf("op %d (DEQUANTIZE): %d scales do not match dimension %d of %v",
			opIndex, len(q.Scale), d, info.Shape)
	}
	inner = 1
	for _, s := range info.Shape[d+1:] {
		inner *= s
	}
	return len(q.Scale), inner, nil
}

func quantizedAt(t TensorType, data []byte, i int) int64 {
	switch t {
	case Int8:
		return int64(int8(data[i]))
	case Uint8:
		return int64(data[i])
	}
	return int64(int16(binary.LittleEndian.Uint16(data[2*i:])))
}

// ConstantFloats returns the float32 values of tensor t of a parsed model
// when they are known before Invoke: a FLOAT32 constant, or the output of a
// DEQUANTIZE whose input is a FLOAT16, INT8, UINT8 or INT16 constant. It
// returns ok false for any other tensor. The values are cached in the Model
// and must not be modified.
func (m *Model) ConstantFloats(t int) (values []float32, ok bool, err error) {
	if t < 0 || t >= len(m.Tensors) || !m.hasValue(t) {
		return nil, false, nil
	}
	values, err = m.floatConstant(t)
	return values, err == nil, err
}
