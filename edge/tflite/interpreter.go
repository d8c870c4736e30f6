package tflite

import (
	"errors"
	"fmt"
	"slices"
)

// Options configures an Interpreter. The zero value computes the graph
// outputs within the default memory limit.
type Options struct {
	// Outputs lists the tensor indices to compute. Only the operators they
	// depend on are planned and run. Nil means the graph outputs.
	Outputs []int

	// Requantization selects how CONV_2D, DEPTHWISE_CONV_2D and
	// FULLY_CONNECTED scale their int32 accumulators to 8-bit outputs, and
	// how QUANTIZE rounds FLOAT32 inputs. The zero value is
	// RequantizeFixedPoint.
	Requantization Requantization

	// MaxMemory bounds the bytes of activation buffers that NewInterpreter
	// allocates. Zero means DefaultMaxMemory of the model file size.
	MaxMemory int64
}

// Requantization is an arithmetic for scaling int32 accumulators to 8-bit
// outputs. The two modes differ by one step in a small fraction of outputs,
// mostly at rounding ties.
type Requantization int

const (
	// RequantizeFixedPoint is the arithmetic of TFLite's builtin integer
	// kernels: a Q0.31 multiplier and a power-of-two shift, each step
	// rounding half away from zero.
	RequantizeFixedPoint Requantization = iota

	// RequantizeFloat is the arithmetic of the XNNPACK delegate, which
	// TFLite applies by default to operators with constant weights and to
	// QUANTIZE: a float32 scale, then rounding half to even. QUANTIZE
	// multiplies by the float32 reciprocal of the output scale. With it,
	// whole int8 models match TFLite's WASM runtime byte for byte.
	RequantizeFloat
)

// DefaultMaxMemory returns the default activation memory limit for a model
// file of fileSize bytes: 256 MiB plus 16 bytes per file byte. Real models
// need far less, because activations are a small multiple of the input
// image, while a hostile file can claim a huge tensor in a few bytes.
func DefaultMaxMemory(fileSize int) int64 {
	return 256<<20 + 16*int64(fileSize)
}

// Interpreter runs the planned operators of a Model on float32 data. Its
// buffers are allocated once by NewInterpreter and reused by every Invoke.
// An Interpreter is not safe for concurrent use, so create one per goroutine.
// Interpreters created from the same Model share its folded weights.
type Interpreter struct {
	model   *Model
	outputs []int
	values  [][]float32 // values[t] is FLOAT32 tensor t's data, or nil
	kernels []kernel

	// qvalues[t] is INT8 or UINT8 tensor t's data, or nil. UINT8 data is
	// stored minus 128 with its zero point minus 128, which leaves every
	// real value unchanged.
	qvalues [][]int8

	// dequantized[i] holds the float32 values of quantized output i.
	dequantized [][]float32

	allocated      int64 // bytes of activation buffers, counted by allocate
	requantization Requantization

	scratchBuf   []float32 // shared im2col buffer, see scratch
	scratch16Buf []int16   // shared quantized im2col buffer, see scratch16
}

// kernel is one planned operator bound to its input and output buffers.
type kernel interface {
	run()
}

// NewInterpreter plans the operators needed for opts.Outputs, folds
// constant DEQUANTIZE operators, allocates the activation buffers and binds
// the kernels. It returns an *UnsupportedError for an operator, option or
// tensor type that this package cannot run, and an error wrapping
// ErrMalformed when shapes or references in the graph are inconsistent.
func NewInterpreter(m *Model, opts Options) (*Interpreter, error) {
	in, err := newInterpreter(m, opts)
	var ue *UnsupportedError
	if errors.As(err, &ue) && ue.Model == "" {
		ue.Model = m.label()
	}
	return in, err
}

func newInterpreter(m *Model, opts Options) (*Interpreter, error) {
	outputs := opts.Outputs
	if outputs == nil {
		outputs = m.Outputs
	}
	for _, t := range outputs {
		if t < 0 || t >= len(m.Tensors) {
			return nil, fmt.Errorf("%w: output tensor %d out of range [0, %d)",
				ErrInvalidArgument, t, len(m.Tensors))
		}
	}

	order, err := m.plan(outputs)
	if err != nil {
		return nil, err
	}

	in := &Interpreter{
		model:   m,
		outputs: slices.Clone(outputs),
		values:  make([][]float32, len(m.Tensors)),
		qvalues: make([][]int8, len(m.Tensors)),

		requantization: opts.Requantization,
	}
	limit := opts.MaxMemory
	if limit == 0 {
		limit = DefaultMaxMemory(m.fileSize)
	}
	if err := in.allocate(order, limit); err != nil {
		return nil, err
	}
	if err := in.bindOutputConstants(); err != nil {
		return nil, err
	}
	if err := in.buildKernels(order); err != nil {
		return nil, err
	}
	return in, nil
}

func (in *Interpreter) buildKernels(order []int) error {
	for _, i := range order {
		c := &opContext{in: in, index: i, op: &in.model.Operators[i]}
		k, err := c.build()
		if err != nil {
			return err
		}
		in.kernels = append(in.kernels, k)
	}
	return nil
}

// bindOutputConstants sets the values of requested outputs that are
// constants, so Output returns their data.
func (in *Interpreter) bindOutputConstants() error {
	for _, t := range in.outputs {
		if in.values[t] != nil || !in.model.hasValue(t) {
			continue
		}
		v, err := in.model.floatConstant(t)
		if err != nil {
			return err
		}
		in.values[t] = v
	}
	return nil
}

// NumInputs returns the number of graph inputs.
func (in *Interpreter) NumInputs() int { return len(in.model.Inputs) }

// InputShape returns a copy of the shape of graph input i.
func (in *Interpreter) InputShape(i int) []int {
	return slices.Clone(in.model.Tensors[in.model.Inputs[i]].Shape)
}

// SetInput copies data into graph input i. The length of data must equal
// the number of elements of the input shape. An INT8 or UINT8 input gets
// the values quantized with its scale and zero point, as QUANTIZE does.
func (in *Interpreter) SetInput(i int, data []float32) error {
	t, err := in.inputTensor(i, len(data))
	if err != nil {
		return err
	}
	if buf := in.values[t]; buf != nil {
		copy(buf, data)
		return nil
	}
	p := in.model.quantParams(t)
	quantizeFloats(in.qvalues[t], data, p.scale, p.zero)
	return nil
}

// SetInputBytes copies data, in the encoding of the input's type in a
// TFLite file (little-endian FLOAT32, or one byte per INT8 or UINT8 value),
// into graph input i.
func (in *Interpreter) SetInputBytes(i int, data []byte) error {
	t, err := in.inputTensor(i, -1)
	if err != nil {
		return err
	}
	size := in.model.Tensors[t].Type.byteSize()
	if want := in.elements(t) * size; len(data) != want {
		return fmt.Errorf("%w: input %d has %d bytes, shape %v of %s needs %d",
			ErrInvalidArgument, i, len(data), in.model.Tensors[t].Shape,
			in.model.Tensors[t].Type, want)
	}
	if buf := in.values[t]; buf != nil {
		copy(buf, decodeFloat32(data))
		return nil
	}
	decodeQuantized(in.qvalues[t], data, in.model.Tensors[t].Type)
	return nil
}

// inputTensor checks input index i and, unless n is negative, the number
// of values n, and returns the tensor index.
func (in *Interpreter) inputTensor(i, n int) (int, error) {
	if i < 0 || i >= len(in.model.Inputs) {
		return 0, fmt.Errorf("%w: input index %d out of range [0, %d)",
			ErrInvalidArgument, i, len(in.model.Inputs))
	}

	t := in.model.Inputs[i]
	if in.values[t] == nil && in.qvalues[t] == nil {
		return 0, fmt.Errorf("%w: input %d (tensor %d) has type %s, expected FLOAT32, INT8 or UINT8",
			ErrInvalidArgument, i, t, in.model.Tensors[t].Type)
	}
	if n >= 0 && n != in.elements(t) {
		return 0, fmt.Errorf("%w: input %d has %d values, shape %v needs %d",
			ErrInvalidArgument, i, n, in.model.Tensors[t].Shape, in.elements(t))
	}
	return t, nil
}

func (in *Interpreter) elements(t int) int {
	if in.values[t] != nil {
		return len(in.values[t])
	}
	return len(in.qvalues[t])
}

// Invoke runs the planned operators on the current inputs.
func (in *Interpreter) Invoke() error {
	for _, k := range in.kernels {
		k.run()
	}
	return nil
}

// Output returns the data and shape of Options.Outputs[i] after Invoke. The
// data aliases the interpreter's buffer, which the next Invoke overwrites.
// A quantized output is dequantized into a buffer of its own.
func (in *Interpreter) Output(i int) (data []float32, shape []int) {
	t := in.outputs[i]
	shape = slices.Clone(in.model.Tensors[t].Shape)
	if q := in.qvalues[t]; q != nil {
		p := in.model.quantParams(t)
		dequantizeInt8(in.dequantized[i], q, p.scale, p.zero)
		return in.dequantized[i], shape
	}
	return in.values[t], shape
}

// OutputBytes returns a copy of Options.Outputs[i] after Invoke in the
// encoding of its type in a TFLite file, as SetInputBytes takes it.
func (in *Interpreter) OutputBytes(i int) []byte {
	t := in.outputs[i]
	if q := in.qvalues[t]; q != nil {
		return encodeQuantized(q, in.model.Tensors[t].Type)
	}
	return encodeFloat32(in.values[t])
}

// NumOutputs returns the number of requested outputs.
func (in *Interpreter) NumOutputs() int { return len(in.outputs) }
