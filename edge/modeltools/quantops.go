package modeltools

import (
	"fmt"

	"github.com/edgecluster/edgecluster/edge/tflite"
)

// addOp adds the int8 form of source operator i.
func (q *quantizer) addOp(i int) error {
	op := &q.src.Operators[i]
	switch op.Code {
	case tflite.OpConv2D:
		return q.addMatrixOp(op, 0, true)
	case tflite.OpDepthwiseConv2D:
		return q.addMatrixOp(op, 3, true)
	case tflite.OpFullyConnected:
		return q.addMatrixOp(op, 0, false)
	case tflite.OpAdd:
		return q.addElementwise(op)
	case tflite.OpAveragePool2D, tflite.OpMaxPool2D:
		return q.addPool(op)
	case tflite.OpMean:
		return q.addMean(op)
	}
	return fmt.Errorf("%w: no int8 form", ErrNotQuantizable)
}

// addMatrixOp adds CONV_2D, DEPTHWISE_CONV_2D or FULLY_CONNECTED, whose
// weights are input 1 with output channels along dimension dim, and whose
// optional bias is input 2.
func (q *quantizer) addMatrixOp(op *tflite.Operator, dim int, perChannel bool) error {
	if len(op.Inputs) < 2 {
		return fmt.Errorf("%w: %d inputs, expected 2 or 3", ErrNotQuantizable, len(op.Inputs))
	}
	in, err := q.activation(op.Inputs[0])
	if err != nil {
		return err
	}
	filter, err := q.filter(op.Inputs[1], dim, perChannel)
	if err != nil {
		return err
	}
	inputs := []int{in, filter.index}

	if len(op.Inputs) > 2 && op.Inputs[2] >= 0 {
		inScale := q.out.Tensors[in].Quantization.Scale[0]
		bias, err := q.bias(op.Inputs[2], inScale, filter.scales)
		if err != nil {
			return err
		}
		inputs = append(inputs, bias)
	}
	out, err := q.activation(op.Outputs[0])
	if err != nil {
		return err
	}
	q.addOperator(op.Code, op.Options, inputs, out)
	return nil
}

// filter returns the INT8 form of constant weights t, with one scale per
// slice along dim when perChannel is set and one scale otherwise.
func (q *quantizer) filter(t, dim int, perChannel bool) (filterTensor, error) {
	if f, ok := q.filters[t]; ok {
		return f, nil
	}
	w, err := q.constantFloats(t)
	if err != nil {
		return filterTensor{}, err
	}
	info := q.src.TensorInfo(t)
	if dim >= len(info.Shape) {
		return filterTensor{}, fmt.Errorf("%w: weights %d have shape %v", ErrNotQuantizable,
			t, info.Shape)
	}
	channels, inner := 1, len(w)
	if perChannel {
		channels, inner = info.Shape[dim], mustElements(info.Shape[dim+1:])
	}
	data, scales := symmetricWeights(w, channels, inner)

	info.Type, info.Buffer = tflite.Int8, q.addBuffer(data)
	info.Quantization = &tflite.Quantization{Scale: scales,
		ZeroPoint: make([]int64, len(scales)), Dimension: dim}
	f := filterTensor{index: q.addTensor(info), scales: scales}
	q.filters[t] = f
	return f, nil
}

// bias returns a new INT32 tensor holding constant bias t quantized with
// scale inputScale * weightScales[channel].
func (q *quantizer) bias(t int, inputScale float32, weightScales []float32) (int, error) {
	b, err := q.constantFloats(t)
	if err != nil {
		return 0, err
	}
	data, scales := int32Bias(b, inputScale, weightScales)
	info := q.src.TensorInfo(t)
	info.Type, info.Buffer = tflite.Int32, q.addBuffer(data)
	info.Quantization = &tflite.Quantization{Scale: scales, ZeroPoint: make([]int64, len(b))}
	return q.addTensor(info), nil
}

// addElementwise adds ADD, whose inputs may be activations or constants.
func (q *quantizer) addElementwise(op *tflite.Operator) error {
	var inputs []int
	for _, t := range op.Inputs {
		i, err := q.operand(t)
		if err != nil {
			return err
		}
		inputs = append(inputs, i)
	}
	out, err := q.activation(op.Outputs[0])
	if err != nil {
		return err
	}
	q.addOperator(op.Code, op.Options, inputs, out)
	return nil
}

// addPool adds AVERAGE_POOL_2D or MAX_POOL_2D with the output parameters
// equal to the input's, which TFLite's int8 pooling kernels require.
func (q *quantizer) addPool(op *tflite.Operator) error {
	in, err := q.activation(op.Inputs[0])
	if err != nil {
		return err
	}
	q.params[op.Outputs[0]] = q.params[op.Inputs[0]]
	out, err := q.activation(op.Outputs[0])
	if err != nil {
		return err
	}
	q.addOperator(op.Code, op.Options, []int{in}, out)
	return nil
}

// addMean adds MEAN with its constant INT32 axes.
func (q *quantizer) addMean(op *tflite.Operator) error {
	if len(op.Inputs) != 2 {
		return fmt.Errorf("%w: %d inputs, expected 2", ErrNotQuantizable, len(op.Inputs))
	}
	in, err := q.activation(op.Inputs[0])
	if err != nil {
		return err
	}
	out, err := q.activation(op.Outputs[0])
	if err != nil {
		return err
	}
	q.addOperator(op.Code, op.Options, []int{in, q.copyConstant(op.Inputs[1])}, out)
	return nil
}

// mustElements returns the product of shape, 1 for a scalar.
func mustElements(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}
