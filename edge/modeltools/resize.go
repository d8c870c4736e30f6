package modeltools

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/edgecluster/edgecluster/edge/tflite"
)

// ErrNotResizable is wrapped by Resize errors about a model whose input
// size cannot be changed by this package.
var ErrNotResizable = errors.New("modeltools: model cannot be resized")

// Resize returns a copy of m whose graph input 0, an NHWC image, has the
// given height and width, with the shapes of all activations computed
// again in operator order. The weights are unchanged, so a convolutional
// backbone computes the same features on a smaller or larger image. Only
// operators whose output shape follows from their input shapes and
// options are supported: CONV_2D, DEPTHWISE_CONV_2D, AVERAGE_POOL_2D,
// MAX_POOL_2D, MEAN, ADD, SUB, MUL, QUANTIZE, DEQUANTIZE and the
// element-wise activations. Any other operator returns an error wrapping
// ErrNotResizable.
func Resize(m *tflite.Model, height, width int) (*tflite.Model, error) {
	if height < 1 || width < 1 {
		return nil, fmt.Errorf("%w: size %dx%d, expected positive height and width",
			ErrNotResizable, height, width)
	}
	if len(m.Inputs) == 0 || len(m.Tensors[m.Inputs[0]].Shape) != 4 {
		return nil, fmt.Errorf("%w: input 0 is not an NHWC image", ErrNotResizable)
	}
	out := &tflite.Model{Name: m.Name, Version: m.Version, Description: m.Description,
		Tensors: slices.Clone(m.Tensors), Operators: m.Operators, Inputs: m.Inputs,
		Outputs: m.Outputs, Buffers: m.Buffers}
	in := &out.Tensors[m.Inputs[0]]
	in.Shape = []int{in.Shape[0], height, width, in.Shape[3]}

	for i := range out.Operators {
		op := &out.Operators[i]
		shape, err := inferShape(out, op)
		if err != nil {
			return nil, fmt.Errorf("%w: operator %d (%s): %v", ErrNotResizable, i, op.Name(), err)
		}
		out.Tensors[op.Outputs[0]].Shape = shape
	}
	return out, nil
}

// inferShape returns the output shape of op from the current shapes of
// its inputs in m.
func inferShape(m *tflite.Model, op *tflite.Operator) ([]int, error) {
	shapeOf := func(i int) []int {
		if i >= len(op.Inputs) || op.Inputs[i] < 0 {
			return nil
		}
		return m.Tensors[op.Inputs[i]].Shape
	}
	filter := shapeOf(1)
	switch o := op.Options.(type) {
	case *tflite.Conv2DOptions:
		if len(filter) != 4 {
			return nil, fmt.Errorf("filter shape %v, expected 4 dimensions", filter)
		}
		return windowShape(shapeOf(0), filter[1], filter[2], o.StrideH, o.StrideW,
			o.DilationH, o.DilationW, o.Padding, filter[0])
	case *tflite.DepthwiseConv2DOptions:
		if len(filter) != 4 {
			return nil, fmt.Errorf("filter shape %v, expected 4 dimensions", filter)
		}
		return windowShape(shapeOf(0), filter[1], filter[2], o.StrideH, o.StrideW,
			o.DilationH, o.DilationW, o.Padding, filter[3])
	case *tflite.Pool2DOptions:
		in := shapeOf(0)
		return windowShape(in, o.FilterHeight, o.FilterWidth, o.StrideH, o.StrideW, 1, 1,
			o.Padding, -1)
	}
	return elementShape(m, op, shapeOf)
}

// elementShape returns the output shape of the supported operators
// without a window.
func elementShape(m *tflite.Model, op *tflite.Operator, shapeOf func(int) []int) ([]int,
	error) {
	if shapeOf(0) == nil {
		return nil, errors.New("input 0 is omitted")
	}
	switch op.Code {
	case tflite.OpAdd, tflite.OpSub, tflite.OpMul:
		out, ok := tflite.BroadcastShape(shapeOf(0), shapeOf(1))
		if !ok {
			return nil, fmt.Errorf("shapes %v and %v do not broadcast", shapeOf(0), shapeOf(1))
		}
		return out, nil
	case tflite.OpMean:
		if shapeOf(1) == nil {
			return nil, errors.New("axes input is omitted")
		}
		return meanShape(m, op)
	case tflite.OpQuantize, tflite.OpDequantize, tflite.OpRelu, tflite.OpRelu6,
		tflite.OpLogistic, tflite.OpTanh, tflite.OpHardSwish:
		return slices.Clone(shapeOf(0)), nil
	}
	return nil, errors.New("its output shape cannot be inferred here; cut the model " +
		"before it with `edgecluster models cut`")
}

// windowShape returns the NHWC output shape of a sliding window over in,
// with channels output channels, or in's when channels is -1.
func windowShape(in []int, kH, kW, strideH, strideW, dilH, dilW int, pad tflite.Padding,
	channels int) ([]int, error) {
	if len(in) != 4 || strideH < 1 || strideW < 1 {
		return nil, fmt.Errorf("invalid input shape %v or strides %d, %d, expected NHWC "+
			"and positive strides", in, strideH, strideW)
	}
	if channels < 0 {
		channels = in[3]
	}
	h := windowAxis(in[1], kH, strideH, max(dilH, 1), pad)
	w := windowAxis(in[2], kW, strideW, max(dilW, 1), pad)
	if h < 1 || w < 1 {
		return nil, fmt.Errorf("input %v is smaller than the %dx%d window", in, kH, kW)
	}
	return []int{in[0], h, w, channels}, nil
}

func windowAxis(in, k, stride, dil int, pad tflite.Padding) int {
	if pad == tflite.PaddingValid {
		return (in-(k-1)*dil-1)/stride + 1
	}
	return (in + stride - 1) / stride
}

// meanShape returns the output shape of MEAN over its constant axes.
func meanShape(m *tflite.Model, op *tflite.Operator) ([]int, error) {
	in := m.Tensors[op.Inputs[0]].Shape
	axes := m.Tensors[op.Inputs[1]]
	var data []byte
	if axes.Buffer > 0 && axes.Buffer < len(m.Buffers) {
		data = m.Buffers[axes.Buffer]
	}
	if axes.Type != tflite.Int32 || len(data) == 0 {
		return nil, errors.New("axes are not a constant INT32 tensor")
	}

	reduced := make([]bool, len(in))
	for i := 0; i+4 <= len(data); i += 4 {
		a := int(int32(binary.LittleEndian.Uint32(data[i:])))
		if a < 0 {
			a += len(in)
		}
		if a < 0 || a >= len(in) {
			return nil, fmt.Errorf("axis %d out of range for shape %v", a, in)
		}
		reduced[a] = true
	}

	o, _ := op.Options.(*tflite.ReducerOptions)
	keep := o != nil && o.KeepDims
	var out []int
	for i, d := range in {
		switch {
		case !reduced[i]:
			out = append(out, d)
		case keep:
			out = append(out, 1)
		}
	}
	return out, nil
}
