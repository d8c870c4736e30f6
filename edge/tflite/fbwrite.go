package tflite

import (
	"encoding/binary"
	"math"
	"slices"
)

// This file holds a FlatBuffers writer. It writes every object before the
// objects it refers to, so each offset points forward as the format
// requires, and it aligns every scalar to its size so that verifying
// readers accept the file.

// fbObject is one object to write: an fbTableW, an fbTables vector or an
// fbScalars vector.
type fbObject interface {
	writeTo(w *fbBuilder) int
}

// fbFieldW is one table field: an inline scalar or a reference to a child.
type fbFieldW struct {
	id     int
	scalar []byte
	child  fbObject
}

// fbTableW is a table with its present fields.
type fbTableW []fbFieldW

// fbTables is a vector of tables.
type fbTables []fbObject

// fbScalars is a vector of scalars of elem bytes each, stored little-endian
// in data, whose first element starts at a multiple of align bytes.
type fbScalars struct {
	elem, align int
	data        []byte
}

// fbBuilder accumulates the output file.
type fbBuilder struct{ buf []byte }

func (w *fbBuilder) putU32(pos int, v uint32) { binary.LittleEndian.PutUint32(w.buf[pos:], v) }

// padTo appends zeros until len(buf) % align == rem.
func (w *fbBuilder) padTo(align, rem int) {
	for len(w.buf)%align != rem {
		w.buf = append(w.buf, 0)
	}
}

// reference writes child and stores the forward offset to it at pos.
func (w *fbBuilder) reference(pos int, child fbObject) {
	target := child.writeTo(w)
	w.putU32(pos, uint32(target-pos))
}

func (t fbTableW) writeTo(w *fbBuilder) int {
	// Lay fields out largest first, so each one is aligned to its size
	// once the table start is aligned to 8.
	order := slices.Clone(t)
	slices.SortStableFunc(order, func(a, b fbFieldW) int { return b.width() - a.width() })
	numIDs := 0
	for _, f := range t {
		numIDs = max(numIDs, f.id+1)
	}
	offsets := make([]int, numIDs)
	size := 4
	for _, f := range order {
		offsets[f.id] = size
		size += f.width()
	}

	vtable := make([]byte, 0, 4+2*numIDs)
	vtable = binary.LittleEndian.AppendUint16(vtable, uint16(4+2*numIDs))
	vtable = binary.LittleEndian.AppendUint16(vtable, uint16(size))
	for _, off := range offsets {
		vtable = binary.LittleEndian.AppendUint16(vtable, uint16(off))
	}
	w.padTo(2, 0)
	w.padTo(8, (8-len(vtable)%8)%8)
	vt := len(w.buf)
	w.buf = append(w.buf, vtable...)

	pos := len(w.buf)
	w.buf = binary.LittleEndian.AppendUint32(w.buf, uint32(int32(pos-vt)))
	for _, f := range order {
		if f.child == nil {
			w.buf = append(w.buf, f.scalar...)
		} else {
			w.buf = append(w.buf, 0, 0, 0, 0)
		}
	}
	for _, f := range order {
		if f.child != nil {
			w.reference(pos+offsets[f.id], f.child)
		}
	}
	return pos
}

func (f fbFieldW) width() int {
	if f.child != nil {
		return 4
	}
	return len(f.scalar)
}

func (v fbTables) writeTo(w *fbBuilder) int {
	w.padTo(4, 0)
	pos := len(w.buf)
	w.buf = binary.LittleEndian.AppendUint32(w.buf, uint32(len(v)))
	slots := len(w.buf)
	w.buf = append(w.buf, make([]byte, 4*len(v))...)
	for i, child := range v {
		w.reference(slots+4*i, child)
	}
	return pos
}

func (v fbScalars) writeTo(w *fbBuilder) int {
	align := max(v.align, 4)
	w.padTo(align, align-4)
	pos := len(w.buf)
	w.buf = binary.LittleEndian.AppendUint32(w.buf, uint32(len(v.data)/v.elem))
	w.buf = append(w.buf, v.data...)
	if v.elem == 1 {
		w.buf = append(w.buf, 0) // strings end with a zero byte
	}
	return pos
}

func fieldU8(id int, v uint8) fbFieldW { return fbFieldW{id: id, scalar: []byte{v}} }

func fieldBool(id int, v bool) fbFieldW {
	if v {
		return fieldU8(id, 1)
	}
	return fieldU8(id, 0)
}

func fieldI32(id int, v int32) fbFieldW {
	return fbFieldW{id: id, scalar: binary.LittleEndian.AppendUint32(nil, uint32(v))}
}

func fieldF32(id int, v float32) fbFieldW {
	return fbFieldW{id: id, scalar: binary.LittleEndian.AppendUint32(nil, math.Float32bits(v))}
}

func fieldRef(id int, child fbObject) fbFieldW { return fbFieldW{id: id, child: child} }

func int32Vector(v []int) fbScalars {
	data := make([]byte, 0, 4*len(v))
	for _, x := range v {
		data = binary.LittleEndian.AppendUint32(data, uint32(int32(x)))
	}
	return fbScalars{elem: 4, data: data}
}

func int64Vector(v []int64) fbScalars {
	data := make([]byte, 0, 8*len(v))
	for _, x := range v {
		data = binary.LittleEndian.AppendUint64(data, uint64(x))
	}
	return fbScalars{elem: 8, align: 8, data: data}
}

func float32Vector(v []float32) fbScalars {
	return fbScalars{elem: 4, data: encodeFloat32(v)}
}

func stringValue(s string) fbScalars { return fbScalars{elem: 1, data: []byte(s)} }
