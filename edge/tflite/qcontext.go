package tflite

import (
	"encoding/binary"
	"math"
)

// isQuantized reports whether tensor t holds INT8 or UINT8 data.
func (c *opContext) isQuantized(t int) bool {
	return t >= 0 && isQuantized(c.in.model.Tensors[t].Type)
}

// quantized returns the int8 storage and per-tensor parameters of INT8 or
// UINT8 tensor t: its activation buffer, or its decoded constant data.
func (c *opContext) quantized(t int) ([]int8, quantParams, error) {
	if t < 0 {
		return nil, quantParams{}, c.malformed("required input is omitted")
	}
	m := c.in.model
	info := &m.Tensors[t]
	if !isQuantized(info.Type) {
		return nil, quantParams{}, c.unsupported(t, "input type %s, expected INT8 or UINT8 "+
			"like the operator's other tensors", info.Type)
	}
	if err := c.checkQuantization(t, 1); err != nil {
		return nil, quantParams{}, err
	}
	if v := c.in.qvalues[t]; v != nil {
		return v, m.quantParams(t), nil
	}
	data := m.tensorData(t)
	if len(data) == 0 {
		return nil, quantParams{}, c.malformed("tensor %d has no data and no producer", t)
	}
	v := make([]int8, len(data))
	decodeQuantized(v, data, info.Type)
	return v, m.quantParams(t), nil
}

// checkQuantization requires tensor t to have a positive finite scale and
// a zero point in range, repeated for channels channels or given once.
func (c *opContext) checkQuantization(t, channels int) error {
	info := &c.in.model.Tensors[t]
	q := info.Quantization
	if q == nil || len(q.Scale) == 0 {
		return c.malformed("quantized tensor %d (%s) has no scale", t, info.Name)
	}
	if len(q.Scale) != 1 && len(q.Scale) != channels {
		return c.unsupported(t, "%d scales for %d channels", len(q.Scale), channels)
	}
	if len(q.ZeroPoint) > 1 && len(q.ZeroPoint) != len(q.Scale) {
		return c.malformed("tensor %d has %d scales but %d zero points",
			t, len(q.Scale), len(q.ZeroPoint))
	}
	for _, s := range q.Scale {
		if !(s > 0) || math.IsInf(float64(s), 0) {
			return c.malformed("tensor %d has scale %v, expected a positive finite value", t, s)
		}
	}
	lo, hi := int64(-128), int64(127)
	if info.Type == Uint8 {
		lo, hi = 0, 255
	}
	for _, z := range q.ZeroPoint {
		if z < lo || z > hi {
			return c.malformed("tensor %d has zero point %d outside [%d, %d]", t, z, lo, hi)
		}
	}
	return nil
}

// quantWeights returns constant filter t as q - zeroPoint per element, and
// its scales repeated to one per output channel. The output channel is
// dimension dim of the filter, and channels is its size.
func (c *opContext) quantWeights(t, dim, channels int) ([]int16, []float32, error) {
	m := c.in.model
	info := &m.Tensors[t]
	data := m.tensorData(t)
	if len(data) == 0 || !isQuantized(info.Type) {
		return nil, nil, c.unsupported(t, "filter must be a constant INT8 or UINT8 tensor, "+
			"got %s", info.Type)
	}
	if err := c.checkQuantization(t, channels); err != nil {
		return nil, nil, err
	}
	q := info.Quantization
	if len(q.Scale) > 1 && q.Dimension != dim {
		return nil, nil, c.unsupported(t, "per-channel scales on dimension %d, expected %d",
			q.Dimension, dim)
	}

	inner := mustElements(info.Shape[dim+1:])
	w := make([]int16, len(data))
	for i := range data {
		ch := (i / inner) % channels
		w[i] = int16(quantizedAt(info.Type, data, i) - zeroPointAt(q, ch))
	}
	return w, repeatScales(q.Scale, channels), nil
}

func zeroPointAt(q *Quantization, ch int) int64 {
	switch len(q.ZeroPoint) {
	case 0:
		return 0
	case 1:
		return q.ZeroPoint[0]
	}
	return q.ZeroPoint[ch]
}

func repeatScales(scales []float32, n int) []float32 {
	if len(scales) == n {
		return scales
	}
	out := make([]float32, n)
	for i := range out {
		out[i] = scales[0]
	}
	return out
}

// quantBias returns the INT32 constant bias t of n values, or zeros when the
// input is omitted.
func (c *opContext) quantBias(t, n int) ([]int32, error) {
	if t < 0 {
		return make([]int32, n), nil
	}
	info := &c.in.model.Tensors[t]
	data := c.in.model.tensorData(t)
	if info.Type != Int32 || len(data) == 0 {
		return nil, c.unsupported(t, "bias of a quantized operator must be a constant INT32 "+
			"tensor, got %s", info.Type)
	}
	if len(data) != 4*n {
		return nil, c.malformed("bias has %d values, expected %d", len(data)/4, n)
	}
	out := make([]int32, n)
	for i := range out {
		out[i] = int32(binary.LittleEndian.Uint32(data[4*i:]))
	}
	return out, nil
}

// qoutput returns the int8 buffer and parameters of the operator's output,
// which must be INT8 or UINT8.
func (c *opContext) qoutput() ([]int8, quantParams, error) {
	t := c.op.Outputs[0]
	if !c.isQuantized(t) {
		return nil, quantParams{}, c.unsupported(t, "output type %s with quantized inputs",
			c.in.model.Tensors[t].Type)
	}
	if err := c.checkQuantization(t, 1); err != nil {
		return nil, quantParams{}, err
	}
	return c.in.qvalues[t], c.in.model.quantParams(t), nil
}

// quantActivationRange returns the int8 clamp bounds of a fused activation
// on an output with parameters p, as TFLite's
// CalculateActivationRangeQuantized computes them.
func (c *opContext) quantActivationRange(a Activation, p quantParams) (lo, hi int32, err error) {
	quantize := func(f float32) int32 { return p.zero + int32(roundHalfAway(f/p.scale)) }
	lo, hi = math.MinInt8, math.MaxInt8
	switch a {
	case ActNone:
	case ActRelu:
		lo = max(lo, quantize(0))
	case ActRelu6:
		lo, hi = max(lo, quantize(0)), min(hi, quantize(6))
	case ActReluN1To1:
		lo, hi = max(lo, quantize(-1)), min(hi, quantize(1))
	default:
		return 0, 0, c.unsupported(-1, "fused activation %s on a quantized output", a)
	}
	return lo, hi, nil
}

// requant scales int32 accumulators to int8 outputs, per output channel.
type requant struct {
	multiplier []int32
	exponent   []int
	zero       int32
	lo, hi     int32

	// scale is set for Requantization RequantizeFloat: the float32
	// multiplier per channel.
	scale []float32

	// singleRounding selects one rounding step, ties toward positive
	// infinity, in place of the two steps of multiplyByQuantizedMultiplier.
	singleRounding bool

	// vector holds the per-channel constants of requantizeOnceVector, or
	// nil where that kernel does not run.
	vector []int64

	// twiceVector holds the per-channel constants of
	// requantizeTwiceVector, or nil where that kernel does not run.
	twiceVector []int32
}

// newRequant computes per-channel multipliers inputScale * filterScales[i]
// / outputScale in float64, as TFLite does.
func newRequant(inputScale float32, filterScales []float32, out quantParams,
	lo, hi int32) *requant {
	r := &requant{zero: out.zero, lo: lo, hi: hi,
		multiplier: make([]int32, len(filterScales)), exponent: make([]int, len(filterScales))}
	for i, s := range filterScales {
		m := float64(inputScale) * float64(s) / float64(out.scale)
		r.multiplier[i], r.exponent[i] = quantizeMultiplier(m)
	}
	return r
}

// newMatrixRequant returns the requantization of CONV_2D,
// DEPTHWISE_CONV_2D and FULLY_CONNECTED in the interpreter's mode. The
// float mode computes inputScale * filterScale / outputScale in float32, as
// XNNPACK does.
func (c *opContext) newMatrixRequant(inputScale float32, filterScales []float32,
	out quantParams, lo, hi int32) *requant {
	r := newRequant(inputScale, filterScales, out, lo, hi)
	// TFLite runs INT8 CONV_2D and FULLY_CONNECTED through its ruy GEMM
	// library, which rounds once. Its UINT8 and depthwise kernels round twice.
	r.singleRounding = c.op.Code != OpDepthwiseConv2D &&
		c.in.model.Tensors[c.input(0)].Type == Int8
	if c.in.requantization == RequantizeFixedPoint {
		if r.singleRounding {
			r.vector = roundOnceVectorParams(r.exponent)
		} else {
			r.twiceVector = roundTwiceVectorParams(r.exponent)
		}
	}
	if c.in.requantization == RequantizeFloat {
		r.scale = make([]float32, len(filterScales))
		for i, s := range filterScales {
			r.scale[i] = inputScale * s / out.scale
		}
	}
	return r
}

// apply returns accumulator acc of channel ch as an int8 output value.
func (r *requant) apply(acc int32, ch int) int8 {
	if r.scale != nil {
		return r.applyFloat(acc, ch)
	}
	var v int32
	if r.singleRounding {
		v = multiplyRoundingOnce(acc, r.multiplier[ch], r.exponent[ch])
	} else {
		v = multiplyByQuantizedMultiplier(acc, r.multiplier[ch], r.exponent[ch])
	}
	v += r.zero
	return int8(min(max(v, r.lo), r.hi))
}

// applyFloat scales acc in float32, clamps, and rounds half to even.
func (r *requant) applyFloat(acc int32, ch int) int8 {
	v := float32(acc) * r.scale[ch]
	v = min(max(v, float32(r.lo-r.zero)), float32(r.hi-r.zero))
	return int8(int32(math.RoundToEven(float64(v))) + r.zero)
}
