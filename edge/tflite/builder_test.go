package tflite

import (
	"encoding/binary"
	"math"
)

// This file holds a minimal FlatBuffers writer for tests. It writes each
// object before its children, so every offset points forward, as the
// format requires.

// fbNode is a table (fbTableNode), a vector of tables (fbVec) or a vector of
// scalars or bytes (fbBytes).
type fbNode any

type fbField struct {
	id     int
	scalar []byte // little-endian inline value, or nil for a child field
	child  fbNode
}

type fbTableNode []fbField

type fbVec []fbNode

type fbBytes struct {
	elem int
	data []byte
}

type fbWriter struct{ buf []byte }

func (w *fbWriter) u32At(pos int, v uint32) { binary.LittleEndian.PutUint32(w.buf[pos:], v) }

func (w *fbWriter) pad4() {
	for len(w.buf)%4 != 0 {
		w.buf = append(w.buf, 0)
	}
}

// write emits n and returns its position: the table start, or the length
// prefix of a vector.
func (w *fbWriter) write(n fbNode) int {
	switch n := n.(type) {
	case fbTableNode:
		return w.writeTable(n)
	case fbVec:
		return w.writeVec(n)
	case fbBytes:
		w.pad4()
		pos := len(w.buf)
		w.buf = binary.LittleEndian.AppendUint32(w.buf, uint32(len(n.data)/n.elem))
		w.buf = append(w.buf, n.data...)
		return pos
	}
	panic("unknown node")
}

func (w *fbWriter) writeTable(t fbTableNode) int {
	numIDs := 0
	for _, f := range t {
		numIDs = max(numIDs, f.id+1)
	}
	offsets := make([]int, numIDs)
	size := 4
	for _, f := range t {
		offsets[f.id] = size
		if f.scalar != nil {
			size += len(f.scalar)
		} else {
			size += 4
		}
	}

	w.pad4()
	vt := len(w.buf)
	w.buf = binary.LittleEndian.AppendUint16(w.buf, uint16(4+2*numIDs))
	w.buf = binary.LittleEndian.AppendUint16(w.buf, uint16(size))
	for _, off := range offsets {
		w.buf = binary.LittleEndian.AppendUint16(w.buf, uint16(off))
	}
	w.pad4()
	pos := len(w.buf)
	w.buf = binary.LittleEndian.AppendUint32(w.buf, uint32(int32(pos-vt)))
	for _, f := range t {
		if f.scalar != nil {
			w.buf = append(w.buf, f.scalar...)
		} else {
			w.buf = append(w.buf, 0, 0, 0, 0)
		}
	}
	for _, f := range t {
		if f.scalar == nil {
			field := pos + offsets[f.id]
			child := w.write(f.child)
			w.u32At(field, uint32(child-field))
		}
	}
	return pos
}

func (w *fbWriter) writeVec(v fbVec) int {
	w.pad4()
	pos := len(w.buf)
	w.buf = binary.LittleEndian.AppendUint32(w.buf, uint32(len(v)))
	slots := len(w.buf)
	w.buf = append(w.buf, make([]byte, 4*len(v))...)
	for i, n := range v {
		child := w.write(n)
		w.u32At(slots+4*i, uint32(child-(slots+4*i)))
	}
	return pos
}

func fU8(id int, v uint8) fbField { return fbField{id: id, scalar: []byte{v}} }

func fI32(id int, v int32) fbField {
	return fbField{id: id, scalar: binary.LittleEndian.AppendUint32(nil, uint32(v))}
}

func fChild(id int, n fbNode) fbField { return fbField{id: id, child: n} }

func intsNode(v []int) fbBytes {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint32(b, uint32(int32(x)))
	}
	return fbBytes{elem: 4, data: b}
}

func stringNode(s string) fbBytes { return fbBytes{elem: 1, data: []byte(s)} }

func float32Bytes(v []float32) []byte {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
	}
	return b
}

func int32Bytes(v []int) []byte { return intsNode(v).data }

// testTensor, testOp and testGraph describe a one-subgraph model for
// encode.
type testTensor struct {
	name  string
	typ   TensorType
	shape []int
	data  []byte
	quant fbTableNode
}

type testOp struct {
	code            BuiltinOperator
	inputs, outputs []int
	optionsType     uint8
	options         fbTableNode
}

type testGraph struct {
	tensors         []testTensor
	ops             []testOp
	inputs, outputs []int

	// opcodeShift is added to every operator's opcode index, so tests can
	// point past the operator code table.
	opcodeShift int
}

// encode returns the graph as a .tflite file. Each operator gets its own
// operator code entry, and each tensor with data its own buffer.
func (g testGraph) encode() []byte {
	buffers := fbVec{fbTableNode{}}
	var tensors, ops, codes fbVec
	for _, t := range g.tensors {
		table := fbTableNode{fChild(0, intsNode(t.shape)), fU8(1, uint8(t.typ)),
			fChild(3, stringNode(t.name))}
		if t.data != nil {
			table = append(table, fI32(2, int32(len(buffers))))
			buffers = append(buffers, fbTableNode{fChild(0, fbBytes{elem: 1, data: t.data})})
		}
		if t.quant != nil {
			table = append(table, fChild(4, t.quant))
		}
		tensors = append(tensors, table)
	}
	for i, op := range g.ops {
		codes = append(codes, fbTableNode{fU8(0, uint8(min(op.code, 127))),
			fI32(2, 1), fI32(3, int32(op.code))})
		table := fbTableNode{fI32(0, int32(i+g.opcodeShift)), fChild(1, intsNode(op.inputs)),
			fChild(2, intsNode(op.outputs))}
		if op.options != nil {
			table = append(table, fU8(3, op.optionsType), fChild(4, op.options))
		}
		ops = append(ops, table)
	}

	subgraph := fbTableNode{fChild(0, tensors), fChild(1, intsNode(g.inputs)),
		fChild(2, intsNode(g.outputs)), fChild(3, ops)}
	model := fbTableNode{fI32(0, 3), fChild(1, codes), fChild(2, fbVec{subgraph}),
		fChild(3, stringNode("test model")), fChild(4, buffers)}

	w := &fbWriter{buf: make([]byte, 8)}
	copy(w.buf[4:], fileIdentifier)
	root := w.write(model)
	w.u32At(0, uint32(root))
	return w.buf
}

// Option tables in schema field order.
func convOptions(pad Padding, strideH, strideW, dilH, dilW int, act Activation) fbTableNode {
	return fbTableNode{fU8(0, uint8(pad)), fI32(1, int32(strideW)), fI32(2, int32(strideH)),
		fU8(3, uint8(act)), fI32(4, int32(dilW)), fI32(5, int32(dilH))}
}

func depthwiseOptions(pad Padding, strideH, strideW, mult, dilH, dilW int,
	act Activation) fbTableNode {
	return fbTableNode{fU8(0, uint8(pad)), fI32(1, int32(strideW)), fI32(2, int32(strideH)),
		fI32(3, int32(mult)), fU8(4, uint8(act)), fI32(5, int32(dilW)), fI32(6, int32(dilH))}
}

func poolOptions(pad Padding, strideH, strideW, kH, kW int, act Activation) fbTableNode {
	return fbTableNode{fU8(0, uint8(pad)), fI32(1, int32(strideW)), fI32(2, int32(strideH)),
		fI32(3, int32(kW)), fI32(4, int32(kH)), fU8(5, uint8(act))}
}
