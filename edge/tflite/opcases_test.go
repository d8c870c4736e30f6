package tflite

import (
	"encoding/binary"
	"math/rand/v2"
)

// This file describes the one-operator models whose outputs are compared
// with a real TFLite runtime. testdata/ops/make_ops.sh writes them with
// TestWriteOpCases and runs them through the runtime.

// opCase is one model with its input data in file encoding.
type opCase struct {
	name   string
	model  *Model
	inputs [][]byte

	// xnnpack is true for operators that the runtime's XNNPACK delegate
	// runs with its float requantization when their weights are constant.
	xnnpack bool

	// tolerance is the allowed absolute difference per FLOAT32 output
	// value, relative to max(1, |expected|). Quantized outputs must match
	// exactly.
	tolerance float64
}

// modelBuilder assembles a one-subgraph Model for Encode.
type modelBuilder struct {
	m   *Model
	rng *rand.Rand
}

func newModelBuilder(seed uint64) *modelBuilder {
	return &modelBuilder{m: &Model{Description: "edgecluster op test", Buffers: [][]byte{nil}},
		rng: rand.New(rand.NewPCG(seed, 7))}
}

// tensor adds a tensor and returns its index. Data, if not nil, becomes a
// new buffer.
func (b *modelBuilder) tensor(name string, typ TensorType, shape []int, q *Quantization,
	data []byte) int {
	info := TensorInfo{Name: name, Type: typ, Shape: shape, Quantization: q}
	if data != nil {
		info.Buffer = len(b.m.Buffers)
		b.m.Buffers = append(b.m.Buffers, data)
	}
	b.m.Tensors = append(b.m.Tensors, info)
	return len(b.m.Tensors) - 1
}

func (b *modelBuilder) op(code BuiltinOperator, options any, inputs, outputs []int) {
	b.m.Operators = append(b.m.Operators,
		Operator{Code: code, Version: 1, Options: options, Inputs: inputs, Outputs: outputs})
}

// finish sets the graph inputs and outputs and returns the model.
func (b *modelBuilder) finish(inputs, outputs []int) *Model {
	b.m.Inputs, b.m.Outputs = inputs, outputs
	return b.m
}

func perTensor(scale float32, zero int64) *Quantization {
	return &Quantization{Scale: []float32{scale}, ZeroPoint: []int64{zero}}
}

// randomBytes returns n random bytes, the data of an INT8 or UINT8 tensor.
func (b *modelBuilder) randomBytes(n int) []byte {
	out := make([]byte, n)
	for i := range out {
		out[i] = byte(b.rng.UintN(256))
	}
	return out
}

// randomWeights returns n INT8 weights in [-127, 127], the range TFLite's
// symmetric weight quantization produces.
func (b *modelBuilder) randomWeights(n int) []byte {
	out := make([]byte, n)
	for i := range out {
		out[i] = byte(int8(b.rng.IntN(255) - 127))
	}
	return out
}

// randomScales returns n scales in [lo, 2*lo).
func (b *modelBuilder) randomScales(n int, lo float32) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = lo * (1 + b.rng.Float32())
	}
	return out
}

// randomBias returns n INT32 values in [-r, r] as bytes.
func (b *modelBuilder) randomBias(n, r int) []byte {
	out := make([]byte, 0, 4*n)
	for range n {
		out = binary.LittleEndian.AppendUint32(out, uint32(int32(b.rng.IntN(2*r+1)-r)))
	}
	return out
}

func (b *modelBuilder) randomFloatBytes(n int, scale float32) []byte {
	v := make([]float32, n)
	for i := range v {
		v[i] = (b.rng.Float32()*2 - 1) * scale
	}
	return encodeFloat32(v)
}

// productScales returns inScale * w[i], the bias scales TFLite expects.
func productScales(inScale float32, w []float32) []float32 {
	out := make([]float32, len(w))
	for i, s := range w {
		out[i] = inScale * s
	}
	return out
}

// withWeightsAsInputs returns a copy of c whose constant tensors are graph
// inputs fed with the same bytes. The TFLite runtime then runs its builtin
// kernels, because the XNNPACK delegate only takes operators with constant
// weights.
func withWeightsAsInputs(c opCase) opCase {
	m := Model{Description: c.model.Description, Operators: c.model.Operators,
		Tensors: append([]TensorInfo(nil), c.model.Tensors...),
		Inputs:  append([]int(nil), c.model.Inputs...), Outputs: c.model.Outputs}
	inputs := append([][]byte(nil), c.inputs...)
	for t := range m.Tensors {
		if data := c.model.tensorData(t); len(data) > 0 {
			m.Tensors[t].Buffer = 0
			m.Inputs = append(m.Inputs, t)
			inputs = append(inputs, data)
		}
	}
	m.Buffers = [][]byte{nil}
	return opCase{name: c.name + "_builtin", model: &m, inputs: inputs}
}
