package tflite

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// fileIdentifier is the FlatBuffers file identifier of TFLite models.
const fileIdentifier = "TFL3"

// Model is a parsed TFLite model: the first subgraph with its tensors and
// operators, and the model's buffers. Treat its fields as read-only, because
// interpreters created from the model read them without locking.
type Model struct {
	// Name identifies the model in error messages, such as its file name.
	// Parse leaves it empty, and callers may set it before NewInterpreter.
	Name string

	// Version is the schema version stored in the file.
	Version uint32

	// Description is the model's description string.
	Description string

	// Tensors lists the tensors of the first subgraph.
	Tensors []TensorInfo

	// Operators lists the operators of the first subgraph in execution order.
	Operators []Operator

	// Inputs and Outputs are the tensor indices of the graph inputs and
	// outputs.
	Inputs, Outputs []int

	// Buffers holds the model's raw buffers. They alias the bytes passed to
	// Parse, so the caller must not modify those bytes afterwards.
	Buffers [][]byte

	producer []int // producer[t] is the operator writing tensor t, or -1
	fileSize int   // length of the bytes given to Parse
	weights  constantCache
}

// TensorInfo describes one tensor.
type TensorInfo struct {
	Name  string
	Type  TensorType
	Shape []int

	// Buffer is the index into Model.Buffers. Buffer 0 and empty buffers
	// mean that the tensor has no constant data.
	Buffer int

	// Quantization holds the affine quantization parameters, or nil.
	Quantization *Quantization
}

// Quantization holds affine quantization parameters: real = Scale *
// (q - ZeroPoint), per tensor or per channel along Dimension.
type Quantization struct {
	Scale     []float32
	ZeroPoint []int64
	Dimension int
}

// Operator is one node of the graph.
type Operator struct {
	// Code is the builtin operator code, the larger of the file's
	// deprecated_builtin_code and builtin_code fields.
	Code BuiltinOperator

	// CustomCode names a custom operator when Code is OpCustom.
	CustomCode string

	// Version is the operator version from the operator code table.
	Version int

	// Inputs and Outputs are tensor indices. An input of -1 is an omitted
	// optional input.
	Inputs, Outputs []int

	// Options holds the decoded builtin options, such as *Conv2DOptions, or
	// nil when the operator has none or their type is not decoded here.
	Options any

	// optionsType is the union type of the options table in the file, or
	// 0 when it has none.
	optionsType uint8
}

// Name returns the operator code name, such as "CONV_2D", or the custom
// code of a custom operator.
func (op *Operator) Name() string {
	if op.Code == OpCustom && op.CustomCode != "" {
		return "CUSTOM:" + op.CustomCode
	}
	return op.Code.String()
}

// NumTensors returns the number of tensors in the graph.
func (m *Model) NumTensors() int { return len(m.Tensors) }

// TensorInfo returns a copy of the description of tensor i. It panics if i
// is out of range, like a slice index.
func (m *Model) TensorInfo(i int) TensorInfo {
	t := m.Tensors[i]
	t.Shape = slices.Clone(t.Shape)
	return t
}

// label returns the name used for the model in error messages.
func (m *Model) label() string {
	if m.Name != "" {
		return m.Name
	}
	return m.Description
}

// FindTensor returns the index of the first tensor whose name starts with
// namePrefix.
func (m *Model) FindTensor(namePrefix string) (int, bool) {
	for i, t := range m.Tensors {
		if strings.HasPrefix(t.Name, namePrefix) {
			return i, true
		}
	}
	return -1, false
}

// tensorData returns the constant bytes of tensor t, or nil when it has none.
func (m *Model) tensorData(t int) []byte {
	b := m.Tensors[t].Buffer
	if b <= 0 || b >= len(m.Buffers) {
		return nil
	}
	return m.Buffers[b]
}

// operatorCode is one entry of the model's operator code table.
type operatorCode struct {
	code    BuiltinOperator
	custom  string
	version int
}

// Parse decodes a TFLite model. The returned Model keeps references into
// data. Every error about the bytes wraps ErrMalformed.
func Parse(data []byte) (*Model, error) {
	if len(data) < 8 {
		return nil, &FormatError{Offset: 0, Detail: fmt.Sprintf(
			"file is %d bytes, shorter than the 8-byte header", len(data))}
	}
	if id := string(data[4:8]); id != fileIdentifier {
		return nil, &FormatError{Offset: 4, Detail: fmt.Sprintf(
			"file identifier is %q, expected %q", id, fileIdentifier)}
	}

	r := newReader(data)
	m, err := decodeModel(r)
	if err != nil {
		return nil, err
	}
	m.fileSize = len(data)

	if err := m.validate(); err != nil {
		return nil, err
	}
	return m, nil
}

// decodeModel reads the root Model table and its first subgraph.
func decodeModel(r *fbReader) (*Model, error) {
	root := r.table(r.deref(0))
	m := &Model{Version: root.u32(0, 0), Description: root.str(3)}
	codes := decodeOperatorCodes(root.vector(1, 4))
	m.Buffers = decodeBuffers(r, root.vector(4, 4))

	subgraphs := root.vector(2, 4)
	if r.err == nil && subgraphs.n == 0 {
		r.fail(root.pos, "model has no subgraphs")
	}
	if r.err != nil {
		return nil, r.err
	}

	sg := subgraphs.table(0)
	m.Tensors = decodeTensors(sg.vector(0, 4))
	m.Inputs = sg.vector(1, 4).ints()
	m.Outputs = sg.vector(2, 4).ints()
	m.Operators = decodeOperators(sg.vector(3, 4), codes)
	if r.err != nil {
		return nil, r.err
	}
	return m, nil
}

func decodeOperatorCodes(v fbVector) []operatorCode {
	codes := make([]operatorCode, v.n)
	for i := range codes {
		t := v.table(i)
		deprecated := int32(t.i8(0, 0))
		code := max(deprecated, t.i32(3, 0))
		codes[i] = operatorCode{
			code:    BuiltinOperator(code),
			custom:  t.str(1),
			version: int(t.i32(2, 1)),
		}
	}
	return codes
}

// decodeBuffers reads each buffer's data vector, or the byte range given by
// its offset and size fields, which models larger than 2 GB use.
func decodeBuffers(r *fbReader, v fbVector) [][]byte {
	buffers := make([][]byte, v.n)
	for i := range buffers {
		t := v.table(i)
		buffers[i] = t.vector(0, 1).bytes()

		offset, size := t.u64(1, 0), t.u64(2, 0)
		if offset > 1 && r.err == nil {
			if offset > uint64(len(r.data)) || size > uint64(len(r.data))-offset {
				r.fail(t.pos, "buffer %d range [%d, +%d) exceeds the file", i, offset, size)
				return nil
			}
			buffers[i] = r.data[offset : offset+size]
		}
	}
	return buffers
}

func decodeTensors(v fbVector) []TensorInfo {
	tensors := make([]TensorInfo, v.n)
	for i := range tensors {
		t := v.table(i)
		tensors[i] = TensorInfo{
			Shape:  t.vector(0, 4).ints(),
			Type:   TensorType(t.i8(1, 0)),
			Buffer: int(t.u32(2, 0)),
			Name:   t.str(3),
		}
		tensors[i].Quantization = decodeQuantization(t.subtable(4))
	}
	return tensors
}

func decodeQuantization(t fbTable) *Quantization {
	if !t.present() {
		return nil
	}
	scale := t.vector(2, 4).floats()
	zero := t.vector(3, 8)
	q := &Quantization{Scale: scale, Dimension: int(t.i32(6, 0))}
	if !t.r.charge(zero.pos, 8*int64(zero.n)) {
		return nil
	}
	for i := range zero.n {
		q.ZeroPoint = append(q.ZeroPoint, zero.i64(i))
	}
	if len(q.Scale) == 0 && len(q.ZeroPoint) == 0 {
		return nil
	}
	return q
}

func decodeOperators(v fbVector, codes []operatorCode) []Operator {
	ops := make([]Operator, v.n)
	for i := range ops {
		t := v.table(i)
		index := t.u32(0, 0)
		if t.r.err == nil && uint64(index) >= uint64(len(codes)) {
			t.r.fail(t.pos, "operator %d has opcode index %d, but there are %d codes",
				i, index, len(codes))
		}
		if t.r.err != nil {
			return nil
		}
		ops[i] = Operator{
			Code:        codes[index].code,
			CustomCode:  codes[index].custom,
			Version:     codes[index].version,
			Inputs:      t.vector(1, 4).ints(),
			Outputs:     t.vector(2, 4).ints(),
			Options:     parseOptions(t),
			optionsType: t.u8(3, 0),
		}
	}
	return ops
}

// constantCache holds float32 values of constant tensors, decoded or folded
// once per Model and shared read-only by all interpreters.
type constantCache struct {
	mu     sync.Mutex
	floats map[int][]float32
}
