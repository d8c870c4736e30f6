package modeltools

import (
	"cmp"
	"slices"

	"github.com/edgecluster/edgecluster/edge/tflite"
)

// Report summarises a model for "edgecluster models inspect".
type Report struct {
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	Version     uint32 `json:"schema_version"`

	Inputs  []Tensor `json:"inputs"`
	Outputs []Tensor `json:"outputs"`

	// Tensors counts the tensors of the first subgraph by type.
	Tensors []TypeCount `json:"tensors"`

	// Ops counts the operators by name, with their MACs, most frequent
	// first.
	Ops []OpCount `json:"ops"`

	// MACs is the number of multiply-accumulate operations of one run of
	// the whole graph, counted for CONV_2D, DEPTHWISE_CONV_2D and
	// FULLY_CONNECTED.
	MACs int64 `json:"macs"`

	// WeightBytes is the size of all constant buffers that tensors use,
	// each buffer counted once, and WeightTypes splits it by tensor type.
	WeightBytes int64       `json:"weight_bytes"`
	WeightTypes []TypeBytes `json:"weight_types"`

	// Candidates lists the tensors that make good embedding points, best
	// first.
	Candidates []Candidate `json:"candidates"`
}

// Tensor describes one tensor by index, name, type and shape.
type Tensor struct {
	Index int               `json:"index"`
	Name  string            `json:"name"`
	Type  tflite.TensorType `json:"-"`
	Shape []int             `json:"shape"`

	// TypeName is Type as the schema spells it, such as "FLOAT32".
	TypeName string `json:"type"`
}

// TypeCount is the number of tensors of one type.
type TypeCount struct {
	Type  string `json:"type"`
	Count int    `json:"count"`
}

// TypeBytes is the number of constant bytes of one tensor type.
type TypeBytes struct {
	Type  string `json:"type"`
	Bytes int64  `json:"bytes"`
}

// OpCount is the number of operators with one name and their MACs.
type OpCount struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
	MACs  int64  `json:"macs"`
}

// Inspect summarises m.
func Inspect(m *tflite.Model) *Report {
	g := newGraph(m)
	r := &Report{Name: m.Name, Description: m.Description, Version: m.Version}
	for _, t := range m.Inputs {
		r.Inputs = append(r.Inputs, describe(m, t))
	}
	for _, t := range m.Outputs {
		r.Outputs = append(r.Outputs, describe(m, t))
	}

	r.Tensors = countTypes(m)
	r.Ops, r.MACs = countOps(m)
	r.WeightBytes, r.WeightTypes = weightBytes(g)
	r.Candidates = candidates(g)
	return r
}

func describe(m *tflite.Model, t int) Tensor {
	info := m.TensorInfo(t)
	return Tensor{Index: t, Name: info.Name, Type: info.Type, Shape: info.Shape,
		TypeName: info.Type.String()}
}

func countTypes(m *tflite.Model) []TypeCount {
	counts := map[string]int{}
	for _, t := range m.Tensors {
		counts[t.Type.String()]++
	}
	var out []TypeCount
	for name, n := range counts {
		out = append(out, TypeCount{Type: name, Count: n})
	}
	slices.SortFunc(out, func(a, b TypeCount) int {
		return cmp.Or(b.Count-a.Count, cmp.Compare(a.Type, b.Type))
	})
	return out
}

func countOps(m *tflite.Model) ([]OpCount, int64) {
	index := map[string]int{}
	var out []OpCount
	var total int64
	for i := range m.Operators {
		op := &m.Operators[i]
		k, ok := index[op.Name()]
		if !ok {
			k = len(out)
			index[op.Name()] = k
			out = append(out, OpCount{Name: op.Name()})
		}
		macs := OpMACs(m, i)
		out[k].Count++
		out[k].MACs += macs
		total += macs
	}
	slices.SortStableFunc(out, func(a, b OpCount) int {
		return cmp.Or(b.Count-a.Count, cmp.Compare(a.Name, b.Name))
	})
	return out, total
}

// weightBytes adds up the constant buffers that tensors use, counting a
// buffer shared by several tensors once.
func weightBytes(g *graph) (int64, []TypeBytes) {
	m := g.model
	seen := map[int]bool{}
	byType := map[string]int64{}
	var total int64
	for t, info := range m.Tensors {
		if !g.isConstant(t) || seen[info.Buffer] {
			continue
		}
		seen[info.Buffer] = true
		n := int64(len(m.Buffers[info.Buffer]))
		byType[info.Type.String()] += n
		total += n
	}
	var out []TypeBytes
	for name, n := range byType {
		out = append(out, TypeBytes{Type: name, Bytes: n})
	}
	slices.SortFunc(out, func(a, b TypeBytes) int {
		return cmp.Or(cmp.Compare(b.Bytes, a.Bytes), cmp.Compare(a.Type, b.Type))
	})
	return total, out
}
