package hub

import (
	"strings"
	"testing"

	"github.com/edgecluster/edgecluster/sync/wire"
)

// TestFleetKeysOnReduction checks that centroids of one model reduced by
// different PCA bases, or not reduced, never share a fleet group.
func TestFleetKeysOnReduction(t *testing.T) {
	model := wire.Model{Name: "m", SHA256: strings.Repeat("cd", 32), Dims: 4}
	device := func(id string, r *wire.Reduction) Device {
		s := &wire.Summary{Device: id, Model: model, Reduction: r,
			Clusters: []wire.Cluster{{ID: 1, Centroid: wire.Vector{1, 0}}}}
		return Device{ID: id, Summary: s}
	}
	basisA := &wire.Reduction{Method: "ccipca", Dims: 2, Basis: strings.Repeat("a", 64)}
	basisB := &wire.Reduction{Method: "ccipca", Dims: 2, Basis: strings.Repeat("b", 64)}
	devs := []Device{device("a1", basisA), device("a2", basisA), device("b", basisB),
		device("raw", nil)}

	byModel := members(devs, nil)
	if len(byModel) != 3 {
		t.Fatalf("%d member groups %v, want 3: basis a, basis b, unreduced", len(byModel),
			keys(byModel))
	}
	groups := fleetGroups(byModel, 0.01)
	if len(groups) != 1 || len(groups[0].Members) != 2 {
		t.Fatalf("fleet groups %+v, want one of a1 and a2", groups)
	}
	for _, m := range groups[0].Members {
		if m.Device != "a1" && m.Device != "a2" {
			t.Errorf("device %s grouped with basis a", m.Device)
		}
	}
}

func keys(m map[string][]Member) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
