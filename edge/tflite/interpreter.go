package tflite

import (
	"fmt"
	"slices"
)

// Options configures an Interpreter. The zero value computes the graph
// outputs.
type Options struct {
	// Outputs lists the tensor indices to compute. Only the operators they
	// depend on are planned and run. Nil means the graph outputs.
	Outputs []int
}

// Interpreter runs the planned operators of a Model on float32 data. Its
// buffers are allocated once by NewInterpreter and reused by every Invoke.
// An Interpreter is not safe for concurrent use, so create one per goroutine.
// Interpreters created from the same Model share its folded weights.
type Interpreter struct {
	model   *Model
	outputs []int
	values  [][]float32 // values[t] is tensor t's data, or nil when unused
	kernels []kernel

	scratchBuf []float32 // shared im2col buffer, see scratch
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
	}
	if err := in.allocate(order); err != nil {
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
// the number of elements of the input shape.
func (in *Interpreter) SetInput(i int, data []float32) error {
	if i < 0 || i >= len(in.model.Inputs) {
		return fmt.Errorf("%w: input index %d out of range [0, %d)",
			ErrInvalidArgument, i, len(in.model.Inputs))
	}

	t := in.model.Inputs[i]
	buf := in.values[t]
	if buf == nil {
		return fmt.Errorf("%w: input %d (tensor %d) has type %s, expected FLOAT32",
			ErrInvalidArgument, i, t, in.model.Tensors[t].Type)
	}
	if len(data) != len(buf) {
		return fmt.Errorf("%w: input %d has %d values, shape %v needs %d",
			ErrInvalidArgument, i, len(data), in.model.Tensors[t].Shape, len(buf))
	}
	copy(buf, data)
	return nil
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
func (in *Interpreter) Output(i int) (data []float32, shape []int) {
	t := in.outputs[i]
	return in.values[t], slices.Clone(in.model.Tensors[t].Shape)
}

// NumOutputs returns the number of requested outputs.
func (in *Interpreter) NumOutputs() int { return len(in.outputs) }
