package hub

import (
	"testing"

	"github.com/edgecluster/edgecluster/sync/wire"
)

func TestSuggestCacheRecomputesOnChange(t *testing.T) {
	ms := []Member{
		{Device: "a", Cluster: 0, Label: "door", Centroid: wire.Vector{0, 0}},
		{Device: "a", Cluster: 1, Centroid: wire.Vector{0.1, 0}},
		{Device: "a", Cluster: 2, Centroid: wire.Vector{5, 5}},
	}
	pts := []exemplarPoint{{Label: "tree", Vector: wire.Vector{5, 5.1}}}
	var c suggestCache
	first, _ := c.model("m", ms, pts)
	again, _ := c.model("m", ms, pts)
	if len(first) == 0 || &first[0] != &again[0] {
		t.Fatalf("unchanged inputs gave %v then %v, want the cached suggestions", first, again)
	}

	tests := []struct {
		name   string
		change func(ms []Member, pts []exemplarPoint)
	}{
		{"cluster label", func(ms []Member, _ []exemplarPoint) { ms[0].Label = "gate" }},
		{"centroid", func(ms []Member, _ []exemplarPoint) { ms[1].Centroid[0] = 4 }},
		{"exemplar label", func(_ []Member, pts []exemplarPoint) { pts[0].Label = "bush" }},
	}
	for _, tt := range tests {
		prev, _ := c.model("m", ms, pts)
		tt.change(ms, pts)
		got, _ := c.model("m", ms, pts)
		if len(got) == 0 || len(prev) == 0 {
			t.Fatalf("%s: suggestions %v then %v, want some", tt.name, prev, got)
		}
		if &got[0] == &prev[0] {
			t.Errorf("%s changed, cached suggestions returned", tt.name)
		}
	}
	other, _ := c.model("n", ms, pts)
	if len(other) == 0 || &other[0] == &first[0] {
		t.Error("another model returned the first model's suggestions")
	}
}
