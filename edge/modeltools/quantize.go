package modeltools

import (
	"errors"
	"fmt"
	"slices"

	"github.com/edgecluster/edgecluster/edge/tflite"
)

// ErrNotQuantizable is wrapped by NewCalibrator and Quantize errors about a
// model that this package cannot quantize, such as one with an operator
// that has no int8 kernel here.
var ErrNotQuantizable = errors.New("modeltools: model cannot be quantized")

// quantizedSuffix ends the names of the INT8 copies of graph inputs and
// outputs, so the FLOAT32 tensors keep the original names.
const quantizedSuffix = "_int8"

// quantizedVersions are the operator versions that the TFLite converter
// writes for the int8 form of each operator.
var quantizedVersions = map[tflite.BuiltinOperator]int{
	tflite.OpConv2D:          3,
	tflite.OpDepthwiseConv2D: 3,
	tflite.OpFullyConnected:  4,
	tflite.OpAdd:             2,
	tflite.OpAveragePool2D:   2,
	tflite.OpMaxPool2D:       2,
	tflite.OpMean:            2,
	tflite.OpQuantize:        1,
	tflite.OpDequantize:      2,
}

// Quantize returns a post-training int8 form of float model m, computed
// from the activation ranges that a Calibrator recorded:
//
//   - CONV_2D and DEPTHWISE_CONV_2D weights become INT8 with one symmetric
//     scale per output channel, FULLY_CONNECTED weights with one per tensor;
//   - biases become INT32 with scale input scale times weight scale;
//   - activations become INT8 with one asymmetric scale and zero point per
//     tensor from their calibrated minimum and maximum, and pooling outputs
//     share their input's parameters, as TFLite requires;
//   - a QUANTIZE operator follows each graph input and a DEQUANTIZE operator
//     precedes each graph output, so callers still write and read FLOAT32
//     tensors under their original names.
//
// DEQUANTIZE operators of constant weights are folded away. The supported
// operators are ADD, AVERAGE_POOL_2D, CONV_2D, DEPTHWISE_CONV_2D,
// FULLY_CONNECTED, MAX_POOL_2D and MEAN. Any other makes Quantize return an
// error wrapping ErrNotQuantizable that names it. Only the operators that
// the graph outputs need are kept.
func Quantize(m *tflite.Model, ranges map[int]Range) (*tflite.Model, error) {
	q := newQuantizer(m, ranges)
	ops, _, err := q.g.liveOps(m.Outputs)
	if err != nil {
		return nil, err
	}
	if err := q.checkOps(ops); err != nil {
		return nil, err
	}
	if err := q.addGraphTensors(); err != nil {
		return nil, err
	}
	for _, i := range ops {
		if q.g.isActivation(m.Operators[i].Outputs[0]) {
			if err := q.addOp(i); err != nil {
				return nil, fmt.Errorf("op %d (%s): %w", i, m.Operators[i].Name(), err)
			}
		}
	}
	if err := q.addOutputs(); err != nil {
		return nil, err
	}
	return q.out, nil
}

// quantizer builds the int8 model. Tensors of the source model map to new
// indices as they are first used.
type quantizer struct {
	src    *tflite.Model
	g      *graph
	ranges map[int]Range
	out    *tflite.Model

	int8Index  map[int]int // source activation tensor to its INT8 tensor
	floatIndex map[int]int // graph input or output to its FLOAT32 tensor
	params     map[int]affine
	filters    map[int]filterTensor
}

// filterTensor is a quantized weight tensor and its per-channel scales.
type filterTensor struct {
	index  int
	scales []float32
}

func newQuantizer(m *tflite.Model, ranges map[int]Range) *quantizer {
	return &quantizer{src: m, g: newGraph(m), ranges: ranges,
		out: &tflite.Model{Name: m.Name, Version: m.Version, Description: m.Description,
			Buffers: [][]byte{nil}},
		int8Index: map[int]int{}, floatIndex: map[int]int{}, params: map[int]affine{},
		filters: map[int]filterTensor{}}
}

// checkOps rejects the model before any work when a needed operator has no
// int8 form here.
func (q *quantizer) checkOps(ops []int) error {
	for _, i := range ops {
		op := &q.src.Operators[i]
		if !q.g.isActivation(op.Outputs[0]) {
			continue // a DEQUANTIZE of a constant, folded into the weights
		}
		if _, ok := quantizedVersions[op.Code]; !ok || op.Code == tflite.OpQuantize ||
			op.Code == tflite.OpDequantize {
			return fmt.Errorf("%w: op %d (%s) of %s has no int8 form here; cut the model "+
				"before it with edgecluster models cut", ErrNotQuantizable, i, op.Name(),
				q.label())
		}
		for _, t := range op.Outputs {
			if q.src.Tensors[t].Type != tflite.Float32 {
				return fmt.Errorf("%w: op %d (%s) writes %s, expected a float model",
					ErrNotQuantizable, i, op.Name(), q.src.Tensors[t].Type)
			}
		}
	}
	return nil
}

func (q *quantizer) label() string {
	if q.src.Name != "" {
		return q.src.Name
	}
	return "the model"
}

// addGraphTensors adds the FLOAT32 graph inputs and outputs first, under
// their original names, and a QUANTIZE after each input.
func (q *quantizer) addGraphTensors() error {
	for _, t := range q.src.Inputs {
		q.floatIndex[t] = q.addTensor(q.src.TensorInfo(t))
		q.out.Inputs = append(q.out.Inputs, q.floatIndex[t])
	}
	for _, t := range q.src.Outputs {
		if _, ok := q.floatIndex[t]; !ok {
			q.floatIndex[t] = q.addTensor(q.src.TensorInfo(t))
		}
	}
	for _, t := range q.src.Inputs {
		in, err := q.activation(t)
		if err != nil {
			return err
		}
		q.addOperator(tflite.OpQuantize, nil,
			[]int{q.floatIndex[t]}, in)
	}
	return nil
}

// addOutputs adds a DEQUANTIZE before each graph output.
func (q *quantizer) addOutputs() error {
	for _, t := range q.src.Outputs {
		in, err := q.activation(t)
		if err != nil {
			return err
		}
		q.addOperator(tflite.OpDequantize, nil,
			[]int{in}, q.floatIndex[t])
		q.out.Outputs = append(q.out.Outputs, q.floatIndex[t])
	}
	return nil
}

func (q *quantizer) addTensor(info tflite.TensorInfo) int {
	q.out.Tensors = append(q.out.Tensors, info)
	return len(q.out.Tensors) - 1
}

func (q *quantizer) addBuffer(data []byte) int {
	q.out.Buffers = append(q.out.Buffers, data)
	return len(q.out.Buffers) - 1
}

func (q *quantizer) addOperator(code tflite.BuiltinOperator, options any, inputs []int,
	output int) {
	q.out.Operators = append(q.out.Operators, tflite.Operator{Code: code,
		Version: quantizedVersions[code], Options: options, Inputs: inputs,
		Outputs: []int{output}})
}

// activationParams returns the INT8 parameters of source activation t.
func (q *quantizer) activationParams(t int) (affine, error) {
	if p, ok := q.params[t]; ok {
		return p, nil
	}
	r, ok := q.ranges[t]
	if !ok {
		return affine{}, fmt.Errorf("%w: tensor %d (%s) has no calibration range",
			ErrNotQuantizable, t, q.src.Tensors[t].Name)
	}
	q.params[t] = activationParams(r)
	return q.params[t], nil
}

// activation returns the INT8 tensor of source activation t, adding it
// on first use.
func (q *quantizer) activation(t int) (int, error) {
	if i, ok := q.int8Index[t]; ok {
		return i, nil
	}
	p, err := q.activationParams(t)
	if err != nil {
		return 0, err
	}
	info := q.src.TensorInfo(t)
	if _, ok := q.floatIndex[t]; ok {
		info.Name += quantizedSuffix
	}
	info.Type, info.Buffer = tflite.Int8, 0
	info.Quantization = &tflite.Quantization{Scale: []float32{p.scale},
		ZeroPoint: []int64{p.zero}}
	q.int8Index[t] = q.addTensor(info)
	return q.int8Index[t], nil
}

// constantFloats returns the values of constant source tensor t.
func (q *quantizer) constantFloats(t int) ([]float32, error) {
	v, ok, err := q.src.ConstantFloats(t)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%w: tensor %d (%s) is expected to be a constant",
			ErrNotQuantizable, t, q.src.Tensors[t].Name)
	}
	return v, nil
}

// copyConstant copies constant source tensor t, such as INT32 axes,
// unchanged.
func (q *quantizer) copyConstant(t int) int {
	info := q.src.TensorInfo(t)
	info.Buffer = q.addBuffer(q.src.Buffers[q.src.Tensors[t].Buffer])
	return q.addTensor(info)
}

// operand returns the INT8 tensor for input t of an element-wise operator:
// the activation, or a constant quantized with its own value range.
func (q *quantizer) operand(t int) (int, error) {
	if q.g.isActivation(t) {
		return q.activation(t)
	}
	if i, ok := q.int8Index[t]; ok {
		return i, nil
	}
	v, err := q.constantFloats(t)
	if err != nil {
		return 0, err
	}
	if len(v) == 0 {
		return 0, fmt.Errorf("%w: constant tensor %d has no values", ErrNotQuantizable, t)
	}
	r := Range{Min: slices.Min(v), Max: slices.Max(v)}
	p := activationParams(r)
	info := q.src.TensorInfo(t)
	info.Type = tflite.Int8
	info.Buffer = q.addBuffer(quantizeAffine(v, p))
	info.Quantization = &tflite.Quantization{Scale: []float32{p.scale},
		ZeroPoint: []int64{p.zero}}
	q.int8Index[t] = q.addTensor(info)
	return q.int8Index[t], nil
}
