package modeltools

import (
	"cmp"
	"encoding/binary"
	"slices"

	"github.com/edgecluster/edgecluster/edge/tflite"
)

// maxWideCandidates bounds how many of the widest feature maps Inspect
// lists, because a residual network has several blocks of equal width.
const maxWideCandidates = 3

// Candidate is a tensor that makes a good embedding point: a 4-D feature
// map [1, H, W, C] that a model pools globally before its head, or one of
// its widest late feature maps.
type Candidate struct {
	Tensor

	// Producer is the index of the operator that writes the tensor.
	Producer int `json:"producer"`

	// Reason gives why the tensor is listed: "feeds global pooling",
	// "widest feature map", or both joined by ", ".
	Reason string `json:"reason"`
}

// Reasons for listing a candidate.
const (
	reasonPooled = "feeds global pooling"
	reasonWide   = "widest feature map"
)

// candidates lists the feature maps that feed global pooling, then the
// widest late ones, each tensor once.
func candidates(g *graph) []Candidate {
	m := g.model
	var out []Candidate
	add := func(t int, reason string) {
		for i := range out {
			if out[i].Index == t {
				out[i].Reason += ", " + reason
				return
			}
		}
		out = append(out, Candidate{Tensor: describe(m, t), Producer: g.producer[t],
			Reason: reason})
	}

	maps := featureMaps(g)
	for _, t := range maps {
		if feedsGlobalPool(g, t) {
			add(t, reasonPooled)
		}
	}
	for _, t := range widest(m, maps) {
		add(t, reasonWide)
	}
	return out
}

// featureMaps returns the activation tensors of shape [1, H, W, C] that an
// operator writes, latest producer first.
func featureMaps(g *graph) []int {
	var maps []int
	for t, info := range g.model.Tensors {
		s := info.Shape
		if len(s) == 4 && s[0] == 1 && g.producer[t] >= 0 && g.isActivation(t) {
			maps = append(maps, t)
		}
	}
	slices.SortStableFunc(maps, func(a, b int) int {
		return cmp.Compare(g.producer[b], g.producer[a])
	})
	return maps
}

// widest returns up to maxWideCandidates of maps with the largest channel
// count, keeping the order of maps.
func widest(m *tflite.Model, maps []int) []int {
	most := 0
	for _, t := range maps {
		most = max(most, m.Tensors[t].Shape[3])
	}
	var out []int
	for _, t := range maps {
		if m.Tensors[t].Shape[3] == most && len(out) < maxWideCandidates {
			out = append(out, t)
		}
	}
	return out
}

// feedsGlobalPool reports whether an operator averages or takes the
// maximum of tensor t over all of its H x W positions: MEAN over axes 1 and
// 2, or a pooling window as large as the map.
func feedsGlobalPool(g *graph, t int) bool {
	shape := g.model.Tensors[t].Shape
	if shape[1]*shape[2] <= 1 {
		return false
	}
	for _, i := range g.consumers[t] {
		op := &g.model.Operators[i]
		switch op.Code {
		case tflite.OpMean:
			if op.Inputs[0] == t && len(op.Inputs) > 1 && reducesHW(g, op.Inputs[1]) {
				return true
			}
		case tflite.OpAveragePool2D, tflite.OpMaxPool2D:
			o, ok := op.Options.(*tflite.Pool2DOptions)
			if ok && o.FilterHeight >= shape[1] && o.FilterWidth >= shape[2] {
				return true
			}
		}
	}
	return false
}

// reducesHW reports whether constant INT32 tensor axes lists axes 1 and 2
// of a 4-D tensor, written as 1, 2, -3 or -2.
func reducesHW(g *graph, axes int) bool {
	if axes < 0 || !g.isConstant(axes) || g.model.Tensors[axes].Type != tflite.Int32 {
		return false
	}
	data := g.model.Buffers[g.model.Tensors[axes].Buffer]
	var h, w bool
	for i := 0; i+4 <= len(data); i += 4 {
		switch int32(binary.LittleEndian.Uint32(data[i:])) {
		case 1, -3:
			h = true
		case 2, -2:
			w = true
		}
	}
	return h && w
}
