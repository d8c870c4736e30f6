package modeltools

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	"github.com/edgecluster/edgecluster/edge/tflite"
)

// FoldDequantize returns a model in which every DEQUANTIZE of a constant
// (FLOAT16, INT8, UINT8 or INT16 weights) is replaced by a FLOAT32 constant
// holding its output, so the result stores float32 weights. It computes the
// same graph outputs as m, keeps m's graph inputs and outputs, and drops
// the tensors and buffers that only the removed operators read. Tools use
// it to write a float32 model for runtimes that reject dequantized weights,
// and to measure what a file with float32 weights weighs. m must come from
// tflite.Parse, which indexes the operators that ConstantFloats reads.
func FoldDequantize(m *tflite.Model) (*tflite.Model, error) {
	out := &tflite.Model{Name: m.Name, Version: m.Version, Description: m.Description,
		Tensors: slices.Clone(m.Tensors), Inputs: m.Inputs, Outputs: m.Outputs,
		Buffers: slices.Clone(m.Buffers)}
	g := newGraph(m)
	for i, op := range m.Operators {
		if op.Code != tflite.OpDequantize || g.isActivation(op.Outputs[0]) {
			out.Operators = append(out.Operators, op)
			continue
		}
		if err := foldOne(m, out, op.Outputs[0]); err != nil {
			return nil, fmt.Errorf("modeltools: fold DEQUANTIZE %d: %w", i, err)
		}
	}
	return Cut(out, out.Outputs)
}

// foldOne stores the constant float32 value of tensor t of m as a new
// buffer of out and makes out's tensor t a FLOAT32 constant.
func foldOne(m, out *tflite.Model, t int) error {
	values, ok, err := m.ConstantFloats(t)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("tensor %d has no constant value", t)
	}
	data := make([]byte, 0, 4*len(values))
	for _, v := range values {
		data = binary.LittleEndian.AppendUint32(data, math.Float32bits(v))
	}
	info := out.Tensors[t]
	info.Type, info.Quantization, info.Buffer = tflite.Float32, nil, len(out.Buffers)
	out.Tensors[t] = info
	out.Buffers = append(out.Buffers, data)
	return nil
}
