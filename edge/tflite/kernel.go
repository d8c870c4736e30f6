package tflite

import (
	"encoding/binary"
	"fmt"
	"math"
)

// builder binds one operator to its buffers, checking shapes and options.
type builder func(c *opContext) (kernel, error)

var builders map[BuiltinOperator]builder

func init() {
	builders = map[BuiltinOperator]builder{
		OpAdd:             buildAdd,
		OpAveragePool2D:   buildAveragePool,
		OpConcatenation:   buildConcatenation,
		OpConv2D:          buildConv,
		OpDepthwiseConv2D: buildDepthwise,
		OpFullyConnected:  buildFullyConnected,
		OpDequantize:      buildDequantize,
		OpQuantize:        buildQuantize,
		OpMaxPool2D:       buildMaxPool,
		OpMean:            buildMean,
		OpPad:             buildPad,
		OpReshape:         buildReshape,
		OpSub:             buildSub,
		OpMul:             buildMul,
		OpSoftmax:         buildSoftmax,
		OpLogistic:        buildUnary,
		OpHardSwish:       buildUnary,
		OpRelu:            buildUnary,
		OpRelu6:           buildUnary,
		OpTanh:            buildUnary,
		OpSqueeze:         buildSqueeze,
		OpStridedSlice:    buildStridedSlice,
		OpTranspose:       buildTranspose,
		OpResizeBilinear:  buildResizeBilinear,
	}
}

// opContext gives a builder access to one operator's tensors.
type opContext struct {
	in    *Interpreter
	index int
	op    *Operator
}

func (c *opContext) build() (kernel, error) {
	b, ok := builders[c.op.Code]
	if !ok {
		return nil, c.unsupported(-1, "operator not implemented")
	}
	if len(c.op.Outputs) != 1 {
		return nil, c.malformed("has %d outputs, expected 1", len(c.op.Outputs))
	}
	return b(c)
}

func (c *opContext) malformed(format string, args ...any) error {
	return malformedf("op %d (%s): %s", c.index, c.op.Name(), fmt.Sprintf(format, args...))
}

func (c *opContext) unsupported(tensor int, format string, args ...any) error {
	return &UnsupportedError{Op: c.op.Name(), OpIndex: c.index, Tensor: tensor,
		Detail: fmt.Sprintf(format, args...)}
}

// checkInputs requires between lo and hi inputs.
func (c *opContext) checkInputs(lo, hi int) error {
	if n := len(c.op.Inputs); n < lo || n > hi {
		return c.malformed("has %d inputs, expected %d to %d", n, lo, hi)
	}
	return nil
}

// input returns the tensor index of input k, or -1 when it is omitted.
func (c *opContext) input(k int) int {
	if k >= len(c.op.Inputs) {
		return -1
	}
	return c.op.Inputs[k]
}

func (c *opContext) shape(t int) []int { return c.in.model.Tensors[t].Shape }

// floats returns the float32 data of tensor t: its activation buffer, or
// its constant values.
func (c *opContext) floats(t int) ([]float32, error) {
	if t < 0 {
		return nil, c.malformed("required input is omitted")
	}
	if v := c.in.values[t]; v != nil {
		return v, nil
	}
	if !c.in.model.hasValue(t) {
		return nil, c.unsupported(t, "input type %s, only FLOAT32 is supported",
			c.in.model.Tensors[t].Type)
	}
	v, err := c.in.model.floatConstant(t)
	if err != nil {
		if u, ok := err.(*UnsupportedError); ok {
			u.Op, u.OpIndex = c.op.Name(), c.index
		}
		return nil, err
	}
	if len(v) != mustElements(c.shape(t)) {
		return nil, c.malformed("constant tensor %d has %d values, shape %v", t, len(v), c.shape(t))
	}
	return v, nil
}

// ints returns the values of constant INT32 tensor t, such as a shape or
// axis list.
func (c *opContext) ints(t int) ([]int, error) {
	if t < 0 {
		return nil, c.malformed("required input is omitted")
	}
	info := &c.in.model.Tensors[t]
	data := c.in.model.tensorData(t)
	if len(data) == 0 {
		return nil, c.unsupported(t, "parameter tensor is not a constant")
	}
	if info.Type != Int32 {
		return nil, c.unsupported(t, "parameter type %s, only INT32 is supported", info.Type)
	}
	out := make([]int, len(data)/4)
	for i := range out {
		out[i] = int(int32(binary.LittleEndian.Uint32(data[4*i:])))
	}
	return out, nil
}

// output returns the buffer and shape of the operator's output.
func (c *opContext) output() ([]float32, []int) {
	t := c.op.Outputs[0]
	return c.in.values[t], c.shape(t)
}

// activationRange returns the clamp bounds of a fused activation.
func (c *opContext) activationRange(a Activation) (lo, hi float32, err error) {
	switch a {
	case ActNone:
		return float32(math.Inf(-1)), float32(math.Inf(1)), nil
	case ActRelu:
		return 0, float32(math.Inf(1)), nil
	case ActReluN1To1:
		return -1, 1, nil
	case ActRelu6:
		return 0, 6, nil
	}
	return 0, 0, c.unsupported(-1, "fused activation %s", a)
}

// clampAll applies clamp to every element of v.
func clampAll(v []float32, lo, hi float32) {
	for i, x := range v {
		v[i] = clamp(x, lo, hi)
	}
}

// maxFloat32 is the largest finite float32, used to detect a clamp range
// without bounds.
const maxFloat32 = math.MaxFloat32
