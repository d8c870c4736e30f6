package tflite

import (
	"errors"
	"fmt"
)

// ErrNotEncodable is wrapped by Encode errors about a Model that cannot be
// written, such as an operator whose options were not decoded.
var ErrNotEncodable = errors.New("tflite: model cannot be encoded")

// schemaVersion is the TFLite schema version that Encode writes.
const schemaVersion = 3

// Encode writes m as a TFLite flatbuffer with one subgraph. It writes the
// exported fields: operator codes are rebuilt from the operators, and each
// buffer is written as given, aligned to 16 bytes. It returns an error
// wrapping ErrNotEncodable for an operator whose file had options of a type
// that Parse does not decode, because writing it without them would change
// what the operator computes.
func Encode(m *Model) ([]byte, error) {
	ops, codes, err := encodeOperators(m.Operators)
	if err != nil {
		return nil, err
	}
	tensors := make(fbTables, len(m.Tensors))
	for i := range m.Tensors {
		tensors[i] = encodeTensor(&m.Tensors[i])
	}
	buffers := fbTables{fbTableW{}}
	for _, b := range m.Buffers[min(1, len(m.Buffers)):] {
		buffers = append(buffers, fbTableW{fieldRef(0, fbScalars{elem: 1, align: 16, data: b})})
	}

	subgraph := fbTableW{fieldRef(0, tensors), fieldRef(1, int32Vector(m.Inputs)),
		fieldRef(2, int32Vector(m.Outputs)), fieldRef(3, ops)}
	root := fbTableW{fieldI32(0, schemaVersion), fieldRef(1, codes),
		fieldRef(2, fbTables{subgraph}), fieldRef(3, stringValue(m.Description)),
		fieldRef(4, buffers)}

	w := &fbBuilder{buf: make([]byte, 8)}
	copy(w.buf[4:], fileIdentifier)
	w.reference(0, root)
	return w.buf, nil
}

func encodeTensor(t *TensorInfo) fbTableW {
	table := fbTableW{fieldRef(0, int32Vector(t.Shape)), fieldU8(1, uint8(t.Type)),
		fieldI32(2, int32(t.Buffer)), fieldRef(3, stringValue(t.Name))}
	if q := t.Quantization; q != nil {
		quant := fbTableW{fieldRef(2, float32Vector(q.Scale)),
			fieldRef(3, int64Vector(q.ZeroPoint)), fieldI32(6, int32(q.Dimension))}
		table = append(table, fieldRef(4, quant))
	}
	return table
}

// encodeOperators returns the operator tables and the operator code table,
// with one code entry per distinct code, custom name and version.
func encodeOperators(operators []Operator) (ops, codes fbTables, err error) {
	type key struct {
		code    BuiltinOperator
		custom  string
		version int
	}
	index := map[key]int{}
	for i := range operators {
		op := &operators[i]
		k := key{op.Code, op.CustomCode, max(op.Version, 1)}
		if _, ok := index[k]; !ok {
			index[k] = len(codes)
			codes = append(codes, encodeOperatorCode(k.code, k.custom, k.version))
		}
		table, err := encodeOperator(op, index[k])
		if err != nil {
			return nil, nil, fmt.Errorf("op %d (%s): %w", i, op.Name(), err)
		}
		ops = append(ops, table)
	}
	return ops, codes, nil
}

// encodeOperatorCode writes the code in builtin_code and, as readers of
// older schemas expect, in deprecated_builtin_code capped at 127.
func encodeOperatorCode(code BuiltinOperator, custom string, version int) fbTableW {
	table := fbTableW{fieldU8(0, uint8(min(code, 127))), fieldI32(2, int32(version)),
		fieldI32(3, int32(code))}
	if custom != "" {
		table = append(table, fieldRef(1, stringValue(custom)))
	}
	return table
}

func encodeOperator(op *Operator, codeIndex int) (fbTableW, error) {
	table := fbTableW{fieldI32(0, int32(codeIndex)), fieldRef(1, int32Vector(op.Inputs)),
		fieldRef(2, int32Vector(op.Outputs))}
	kind, options, err := encodeOptions(op)
	if err != nil {
		return nil, err
	}
	if options == nil && op.optionsType != 0 {
		return nil, fmt.Errorf("%w: options of union type %d are not decoded",
			ErrNotEncodable, op.optionsType)
	}
	if options != nil {
		table = append(table, fieldU8(3, kind), fieldRef(4, options))
	}
	return table, nil
}
