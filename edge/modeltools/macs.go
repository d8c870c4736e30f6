package modeltools

import "github.com/edgecluster/edgecluster/edge/tflite"

// OpMACs returns the multiply-accumulate operations of one run of operator
// i: output elements times the filter taps that feed each of them. It
// counts CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED, and returns 0 for
// every other operator and for shapes that do not fit the operator.
func OpMACs(m *tflite.Model, i int) int64 {
	op := &m.Operators[i]
	if len(op.Inputs) < 2 || len(op.Outputs) < 1 || op.Inputs[1] < 0 {
		return 0
	}
	filter := m.Tensors[op.Inputs[1]].Shape
	out := elements(m.Tensors[op.Outputs[0]].Shape)
	switch op.Code {
	case tflite.OpConv2D:
		if len(filter) == 4 {
			return out * int64(filter[1]*filter[2]*filter[3])
		}
	case tflite.OpDepthwiseConv2D:
		if len(filter) == 4 {
			return out * int64(filter[1]*filter[2])
		}
	case tflite.OpFullyConnected:
		if len(filter) == 2 {
			return out * int64(filter[1])
		}
	}
	return 0
}

func elements(shape []int) int64 {
	n := int64(1)
	for _, d := range shape {
		n *= int64(d)
	}
	return n
}
