package hub

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/edgecluster/edgecluster/sync/wire"
)

// mapDevice returns a device with a summary of model "abc" with three
// 2-d clusters, 0 to 2.
func mapDevice(id string) Device {
	s := &wire.Summary{V: wire.Version, Device: id, Seq: 1,
		Model: wire.Model{Name: "m", SHA256: "abc", Dims: 2}}
	for i, v := range []wire.Vector{{1, 0}, {0, 1}, {-1, 0.2}} {
		s.Clusters = append(s.Clusters, wire.Cluster{ID: i, Count: 5, Centroid: v})
	}
	return Device{ID: id, Summary: s}
}

func TestMapInputExemplars(t *testing.T) {
	reduced := mapDevice("cam-r")
	reduced.Summary.Reduction = &wire.Reduction{Method: "ccipca", Dims: 2,
		Basis: fmt.Sprintf("%064x", 1)}
	tests := []struct {
		name      string
		device    Device
		stored    storedExemplar
		wantFrame []uint64 // frames of the exemplars placed
	}{
		{"same model", mapDevice("cam"),
			storedExemplar{Model: "abc", Cluster: 1, Frame: 4, Vector: wire.Vector{0, 2}},
			[]uint64{4}},
		{"other model", mapDevice("cam"),
			storedExemplar{Model: "xyz", Cluster: 1, Frame: 4, Vector: wire.Vector{0, 2}}, nil},
		{"fewer dims", mapDevice("cam"),
			storedExemplar{Model: "abc", Cluster: 1, Frame: 4, Vector: wire.Vector{2}}, nil},
		{"more dims", mapDevice("cam"),
			storedExemplar{Model: "abc", Cluster: 1, Frame: 4, Vector: wire.Vector{0, 2, 1}},
			nil},
		{"cluster not in summary", mapDevice("cam"),
			storedExemplar{Model: "abc", Cluster: 7, Frame: 4, Vector: wire.Vector{0, 2}}, nil},
		{"reduced centroids", reduced,
			storedExemplar{Model: "abc", Cluster: 1, Frame: 4, Vector: wire.Vector{0, 2}}, nil},
		{"no summary", Device{ID: "cam"},
			storedExemplar{Model: "abc", Cluster: 1, Frame: 4, Vector: wire.Vector{0, 2}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			byModel := map[string][]mapExemplar{}
			addMapExemplars(byModel, tt.device, []storedExemplar{tt.stored}, nil)
			ms := members([]Device{mapDevice("cam")}, nil)["m (abc)"]
			in := newMapInput(ms, byModel["m (abc)"])

			var frames []uint64
			for _, e := range in.Exemplars {
				frames = append(frames, e.Frame)
			}
			if !slices.Equal(frames, tt.wantFrame) {
				t.Errorf("placed frames %v, want %v", frames, tt.wantFrame)
			}
			x := in.vectors()
			if len(x) != len(ms)+len(tt.wantFrame) {
				t.Errorf("%d vectors, want %d", len(x), len(ms)+len(tt.wantFrame))
			}
			if len(tt.wantFrame) > 0 && !slices.Equal(x[len(ms)], []float64{0, 2}) {
				t.Errorf("exemplar vector %v, want [0 2]", x[len(ms)])
			}
		})
	}
}

func TestMapInputSkipsMismatchedExemplar(t *testing.T) {
	ms := mapMembers()
	ex := mapExemplars()
	ex[1].Vector = wire.Vector{1, 2}
	in := newMapInput(ms, ex)
	if len(in.Exemplars) != len(ex)-1 || in.Len() != len(ms)+len(ex)-1 {
		t.Fatalf("%d exemplars and %d points, want %d and %d", len(in.Exemplars), in.Len(),
			len(ex)-1, len(ms)+len(ex)-1)
	}
	for _, e := range in.Exemplars {
		if e.Frame == ex[1].Frame {
			t.Errorf("exemplar of frame %d with 2 values placed among 3-d centroids", e.Frame)
		}
	}
	ms[0].Centroid = wire.Vector{1}
	if in := newMapInput(ms, mapExemplars()); in.Len() != 0 {
		t.Errorf("mixed centroid dimensions gave %d points, want none", in.Len())
	}
}

func TestNewestExemplarsTakesClustersInTurn(t *testing.T) {
	var ex []mapExemplar
	for frame := range 10 {
		cluster := 0
		if frame >= 8 {
			cluster = 1
		}
		ex = append(ex, mapExemplar{Device: "cam", Cluster: cluster, Frame: uint64(frame)})
	}
	tests := []struct {
		limit     int
		wantFrame []uint64
	}{
		{10, []uint64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{1, []uint64{7}},
		{2, []uint64{7, 9}},
		{5, []uint64{5, 6, 7, 8, 9}},
	}
	for _, tt := range tests {
		var frames []uint64
		for _, e := range newestExemplars(ex, tt.limit) {
			frames = append(frames, e.Frame)
		}
		if !slices.Equal(frames, tt.wantFrame) {
			t.Errorf("limit %d: frames %v, want %v", tt.limit, frames, tt.wantFrame)
		}
	}
}

func TestMapExemplarLimitNote(t *testing.T) {
	ms := mapMembers()
	var ex []mapExemplar
	for frame := range MaxMapExemplars + 5 {
		ex = append(ex, mapExemplar{Device: "cam-1", Cluster: frame % 6, Frame: uint64(frame),
			Vector: wire.Vector{float32(frame % 7), float32(frame % 11), float32(frame % 13)}})
	}
	var c mapCache
	l := c.layout(t.Context(), quietLog, "m", MapPCA, ms, ex)
	if len(l.Exemplars) != MaxMapExemplars {
		t.Errorf("%d exemplars placed, want %d", len(l.Exemplars), MaxMapExemplars)
	}
	if len(l.Coords) != len(ms)+MaxMapExemplars {
		t.Errorf("%d points laid out, want %d", len(l.Coords), len(ms)+MaxMapExemplars)
	}
	want := fmt.Sprintf("%d of %d exemplars", MaxMapExemplars, MaxMapExemplars+5)
	if len(l.Notes) != 1 || !strings.Contains(l.Notes[0], want) {
		t.Errorf("notes %q, want one that contains %q", l.Notes, want)
	}
}

func TestMapCacheRecomputesOnExemplarChange(t *testing.T) {
	tests := []struct {
		name   string
		change func(ex []mapExemplar) []mapExemplar
		want   bool // whether the layout is computed again
	}{
		{"unchanged copy", func(ex []mapExemplar) []mapExemplar { return ex }, false},
		{"label", func(ex []mapExemplar) []mapExemplar { ex[0].Label = "cat"; return ex }, false},
		{"vector", func(ex []mapExemplar) []mapExemplar { ex[2].Vector[1] = 4; return ex }, true},
		{"frame", func(ex []mapExemplar) []mapExemplar { ex[2].Frame = 99; return ex }, true},
		{"cluster", func(ex []mapExemplar) []mapExemplar { ex[2].Cluster = 5; return ex }, true},
		{"device", func(ex []mapExemplar) []mapExemplar { ex[2].Device = "cam-2"; return ex }, true},
		{"added", func(ex []mapExemplar) []mapExemplar { return append(ex, ex[0]) }, true},
		{"removed", func(ex []mapExemplar) []mapExemplar { return ex[1:] }, true},
		{"mismatched added", func(ex []mapExemplar) []mapExemplar {
			return append(ex, mapExemplar{Device: "cam-1", Vector: wire.Vector{1}})
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c mapCache
			first := c.layout(t.Context(), quietLog, "m", MapTSNE, mapMembers(), mapExemplars())
			again := c.layout(t.Context(), quietLog, "m", MapTSNE, mapMembers(),
				tt.change(mapExemplars()))
			if again.Coords == nil {
				t.Fatal("no layout after the change")
			}
			if got := &first.Coords[0][0] != &again.Coords[0][0]; got != tt.want {
				t.Errorf("computed again = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMapTSNELimitCountsExemplars(t *testing.T) {
	ms := mapMembers()
	ex := make([]mapExemplar, MaxTSNEPoints-len(ms)+1)
	for i := range ex {
		ex[i] = mapExemplar{Device: "cam-1", Cluster: i % len(ms), Frame: uint64(i),
			Vector: wire.Vector{float32(i % 7), float32(i % 11), float32(i % 13)}}
	}
	var c mapCache
	over := c.layout(t.Context(), quietLog, "m", MapTSNE, ms, ex)
	if over.Method != MapPCA || len(over.Notes) != 1 || !strings.Contains(over.Notes[0], "PCA") {
		t.Errorf("%d points: method %q notes %q, want PCA with a note",
			len(ms)+len(ex), over.Method, over.Notes)
	}
	if len(over.Coords) != MaxTSNEPoints+1 {
		t.Errorf("%d points laid out, want %d", len(over.Coords), MaxTSNEPoints+1)
	}
}

// pageExemplar matches an exemplar dot on the page and captures its fill
// colour and title.
var pageExemplar = regexp.MustCompile(
	`<circle class="exemplar"\s+cx="[0-9.]+" cy="[0-9.]+" r="2.5" fill="([^"]+)"\s+` +
		`fill-opacity="[0-9.]+"><title>([^<]*)</title>`)

func TestPageDrawsExemplarDots(t *testing.T) {
	h, srv := uiHub(t, boltState(t))
	d := mapDevice("cam-1")
	d.Summary.Epoch = "e2"
	data, err := wire.Encode(*d.Summary)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.ingest(wire.Topic(wire.DefaultPrefix, "cam-1", wire.KindSummary), data); err != nil {
		t.Fatal(err)
	}
	for _, m := range []struct {
		epoch, model string
		cluster      int
		frame        uint64
	}{
		{"e2", "abc", 0, 5},
		{"e2", "abc", 2, 7},
		{"e2", "xyz", 1, 8}, // another model
		{"e2", "abc", 9, 9}, // a cluster the summary lacks
		{"e1", "abc", 1, 3}, // an older state file
	} {
		msg := exemplarsMessage(t, [2]int{m.cluster, int(m.frame)})
		msg.Device, msg.Epoch, msg.Model.SHA256 = "cam-1", m.epoch, m.model
		msg.Items[0].Vector = wire.Vector{float32(m.frame), 1}
		if err := h.ingestExemplars(msg); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.SetExemplarLabel("cam-1", 2, 7, "cat", "alice"); err != nil {
		t.Fatal(err)
	}

	for _, method := range []string{MapPCA, MapTSNE} {
		body := getPage(t, srv.URL+"/?map="+method)
		var titles []string
		for _, m := range pageExemplar.FindAllStringSubmatch(body, -1) {
			titles = append(titles, m[2])
			if m[1] != deviceColor("cam-1") {
				t.Errorf("%s: exemplar %q filled %q, want %q", method, m[2], m[1],
					deviceColor("cam-1"))
			}
		}
		want := []string{"cam-1 cluster 0 frame 5", "cam-1 cluster 2 frame 7 cat"}
		if !slices.Equal(titles, want) {
			t.Errorf("%s: exemplar titles %q, want %q", method, titles, want)
		}
		if n := strings.Count(body, `r="6"`); n != 3 {
			t.Errorf("%s: %d centroid circles, want 3", method, n)
		}
		if !strings.Contains(body, "of centroids and exemplars") {
			t.Errorf("%s: map heading does not name the exemplars", method)
		}
	}
}
