package tflite

import (
	"encoding/binary"
	"fmt"
	"math"
)

// fbReader reads little-endian FlatBuffers data with a bounds check on every
// access. The first failure is kept in err, and later reads return zero
// values, so callers check err once after a group of reads.
type fbReader struct {
	data []byte
	err  error

	// decoded counts the bytes that decoding has produced so far. Many vector
	// entries may point at one table, so without a bound a small file could
	// decode to a huge model; see newReader.
	decoded int64
}

// decodeFactor bounds the decoded model: at most this many bytes of shapes,
// names and quantization values per byte of the file, plus decodeSlack.
// Real models decode to far less than their size, since weights are not
// copied.
const (
	decodeFactor = 8
	decodeSlack  = 1 << 16
)

func newReader(data []byte) *fbReader { return &fbReader{data: data} }

// charge records n decoded bytes and fails once the total passes the bound.
func (r *fbReader) charge(pos int64, n int64) bool {
	r.decoded += n
	limit := decodeFactor*int64(len(r.data)) + decodeSlack
	if r.decoded > limit {
		r.fail(pos, "model decodes to more than %d bytes of metadata, which a %d-byte file "+
			"cannot hold without sharing tables", limit, len(r.data))
	}
	return r.err == nil
}

func (r *fbReader) fail(pos int64, format string, args ...any) {
	if r.err == nil {
		r.err = &FormatError{Offset: int(pos), Detail: fmt.Sprintf(format, args...)}
	}
}

// has reports whether n bytes starting at pos lie inside the data.
func (r *fbReader) has(pos, n int64) bool {
	size := int64(len(r.data))
	return pos >= 0 && n >= 0 && pos <= size && n <= size-pos
}

// span returns the n bytes at pos, or nil after recording an error.
func (r *fbReader) span(pos, n int64) []byte {
	if r.err != nil {
		return nil
	}
	if !r.has(pos, n) {
		r.fail(pos, "read of %d bytes past the end of the %d-byte file", n, len(r.data))
		return nil
	}
	return r.data[pos : pos+n]
}

func (r *fbReader) u8(pos int64) uint8 {
	b := r.span(pos, 1)
	if b == nil {
		return 0
	}
	return b[0]
}

func (r *fbReader) u16(pos int64) uint16 {
	b := r.span(pos, 2)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint16(b)
}

func (r *fbReader) u32(pos int64) uint32 {
	b := r.span(pos, 4)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(b)
}

func (r *fbReader) u64(pos int64) uint64 {
	b := r.span(pos, 8)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(b)
}

// deref follows the unsigned 32-bit offset stored at pos. Offsets only point
// forward, so following them can never loop.
func (r *fbReader) deref(pos int64) int64 {
	off := r.u32(pos)
	target := pos + int64(off)
	if r.err == nil && !r.has(target, 4) {
		r.fail(pos, "offset %d points outside the file", off)
	}
	return target
}

// fbTable is a decoded table header. An fbTable with pos < 0 is an absent
// table, and all its fields read as defaults.
type fbTable struct {
	r      *fbReader
	pos    int64
	vtable int64
	vtSize int64
	size   int64
}

// table decodes the table header at pos and its vtable.
func (r *fbReader) table(pos int64) fbTable {
	absent := fbTable{r: r, pos: -1}
	soff := int32(r.u32(pos))
	if r.err != nil {
		return absent
	}
	vt := pos - int64(soff)
	vtSize := int64(r.u16(vt))
	size := int64(r.u16(vt + 2))
	if r.err != nil {
		return absent
	}
	if vtSize < 4 || vtSize%2 != 0 || !r.has(vt, vtSize) {
		r.fail(vt, "invalid vtable size %d", vtSize)
		return absent
	}
	if size < 4 || !r.has(pos, size) {
		r.fail(pos, "invalid table size %d", size)
		return absent
	}
	return fbTable{r: r, pos: pos, vtable: vt, vtSize: vtSize, size: size}
}

// field returns the position of field id, whose value is width bytes wide,
// or -1 when the field is absent.
func (t fbTable) field(id int, width int64) int64 {
	slot := 4 + 2*int64(id)
	if t.pos < 0 || t.r.err != nil || slot+2 > t.vtSize {
		return -1
	}
	off := int64(t.r.u16(t.vtable + slot))
	if off == 0 {
		return -1
	}
	if off < 4 || off+width > t.size {
		t.r.fail(t.vtable+slot, "field %d at offset %d exceeds table size %d", id, off, t.size)
		return -1
	}
	return t.pos + off
}

func (t fbTable) u8(id int, def uint8) uint8 {
	p := t.field(id, 1)
	if p < 0 {
		return def
	}
	return t.r.u8(p)
}

func (t fbTable) i8(id int, def int8) int8 {
	return int8(t.u8(id, uint8(def)))
}

func (t fbTable) boolean(id int, def bool) bool {
	d := uint8(0)
	if def {
		d = 1
	}
	return t.u8(id, d) != 0
}

func (t fbTable) u32(id int, def uint32) uint32 {
	p := t.field(id, 4)
	if p < 0 {
		return def
	}
	return t.r.u32(p)
}

func (t fbTable) i32(id int, def int32) int32 {
	return int32(t.u32(id, uint32(def)))
}

func (t fbTable) u64(id int, def uint64) uint64 {
	p := t.field(id, 8)
	if p < 0 {
		return def
	}
	return t.r.u64(p)
}

func (t fbTable) f32(id int, def float32) float32 {
	return math.Float32frombits(t.u32(id, math.Float32bits(def)))
}

// ref returns the target of the offset field id, or -1 when it is absent.
func (t fbTable) ref(id int) int64 {
	p := t.field(id, 4)
	if p < 0 {
		return -1
	}
	return t.r.deref(p)
}

// subtable returns the table that field id refers to, or an absent table.
func (t fbTable) subtable(id int) fbTable {
	p := t.ref(id)
	if p < 0 || t.r.err != nil {
		return fbTable{r: t.r, pos: -1}
	}
	return t.r.table(p)
}

// present reports whether the table exists in the file.
func (t fbTable) present() bool { return t.pos >= 0 }

// fbVector is a decoded vector of n elements of elem bytes each.
type fbVector struct {
	r    *fbReader
	pos  int64
	n    int
	elem int64
}

// vector decodes the vector whose length prefix is at pos. It rejects
// lengths whose elements would not fit in the rest of the file.
func (r *fbReader) vector(pos, elem int64) fbVector {
	n := int64(r.u32(pos))
	if r.err != nil {
		return fbVector{r: r}
	}
	start := pos + 4
	if n*elem > int64(len(r.data))-start {
		r.fail(pos, "vector of %d elements of %d bytes exceeds the file", n, elem)
		return fbVector{r: r}
	}
	return fbVector{r: r, pos: start, n: int(n), elem: elem}
}

// vector returns the vector in field id, or an empty vector when it is absent.
func (t fbTable) vector(id int, elem int64) fbVector {
	p := t.ref(id)
	if p < 0 || t.r.err != nil {
		return fbVector{r: t.r}
	}
	return t.r.vector(p, elem)
}

// str returns the string in field id, or "" when it is absent.
func (t fbTable) str(id int) string {
	v := t.vector(id, 1)
	if !v.r.charge(v.pos, int64(v.n)) {
		return ""
	}
	return string(v.bytes())
}

func (v fbVector) at(i int) int64 { return v.pos + int64(i)*v.elem }

func (v fbVector) i32(i int) int32 { return int32(v.r.u32(v.at(i))) }

func (v fbVector) i64(i int) int64 { return int64(v.r.u64(v.at(i))) }

func (v fbVector) f32(i int) float32 { return math.Float32frombits(v.r.u32(v.at(i))) }

// table returns element i of a vector of tables.
func (v fbVector) table(i int) fbTable { return v.r.table(v.r.deref(v.at(i))) }

// bytes returns the raw contents of a byte vector without copying.
func (v fbVector) bytes() []byte {
	if v.n == 0 {
		return nil
	}
	return v.r.span(v.pos, int64(v.n)*v.elem)
}

// ints decodes a vector of int32 values.
func (v fbVector) ints() []int {
	if v.n == 0 || !v.r.charge(v.pos, 8*int64(v.n)) {
		return nil
	}
	out := make([]int, v.n)
	for i := range out {
		out[i] = int(v.i32(i))
	}
	return out
}

// floats decodes a vector of float32 values.
func (v fbVector) floats() []float32 {
	if v.n == 0 || !v.r.charge(v.pos, 4*int64(v.n)) {
		return nil
	}
	out := make([]float32, v.n)
	for i := range out {
		out[i] = v.f32(i)
	}
	return out
}
