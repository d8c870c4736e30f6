package hub

import (
	"log/slog"
	"testing"

	"github.com/edgecluster/edgecluster/sync/wire"
)

var quietLog = slog.New(slog.DiscardHandler)

func mapMembers() []Member {
	var ms []Member
	for i, v := range []wire.Vector{{0, 0, 0}, {1, 0, 0}, {0, 2, 0}, {3, 3, 1}, {3, 2, 1},
		{0.1, 0.1, 0}} {
		ms = append(ms, Member{Device: "cam-1", Cluster: i, Centroid: v})
	}
	return ms
}

func TestMapLayoutsInsideMap(t *testing.T) {
	for _, method := range []string{MapPCA, MapTSNE} {
		var c mapCache
		ms := mapMembers()
		coords := c.layout(t.Context(), quietLog, "m", method, ms).Coords
		if len(coords) != len(ms) {
			t.Fatalf("%s: %d points, want %d", method, len(coords), len(ms))
		}
		for _, p := range scale(ms, coords) {
			if p.X < 0 || p.X > mapSize || p.Y < 0 || p.Y > mapSize {
				t.Errorf("%s: point (%.1f, %.1f) outside the map", method, p.X, p.Y)
			}
		}
		if c.layout(t.Context(), quietLog, "m", method, ms[:2]).Coords != nil {
			t.Errorf("%s: two points laid out, want nil below three", method)
		}
	}
}

func TestMapCacheRecomputesOnChange(t *testing.T) {
	var c mapCache
	ms := mapMembers()
	first := c.layout(t.Context(), quietLog, "m", MapTSNE, ms).Coords
	again := c.layout(t.Context(), quietLog, "m", MapTSNE, ms).Coords
	if &first[0][0] != &again[0][0] {
		t.Error("unchanged centroids were laid out again, want the cached layout")
	}

	ms[3].Centroid = wire.Vector{5, 5, 5}
	changed := c.layout(t.Context(), quietLog, "m", MapTSNE, ms).Coords
	if &first[0][0] == &changed[0][0] {
		t.Error("a moved centroid returned the cached layout")
	}
	other := c.layout(t.Context(), quietLog, "m", MapPCA, ms).Coords
	if &other[0][0] == &changed[0][0] {
		t.Error("PCA returned the t-SNE layout")
	}
}

func TestMapRejectsMixedDimensions(t *testing.T) {
	var c mapCache
	ms := mapMembers()
	ms[2].Centroid = wire.Vector{1, 2}
	if c.layout(t.Context(), quietLog, "m", MapPCA, ms).Coords != nil {
		t.Error("centroids of different dimensions laid out, want nil")
	}
}

func TestMapTSNEReproducible(t *testing.T) {
	var a, b mapCache
	first := a.layout(t.Context(), quietLog, "m", MapTSNE, mapMembers()).Coords
	second := b.layout(t.Context(), quietLog, "m", MapTSNE, mapMembers()).Coords
	for i := range first {
		for d := range first[i] {
			if first[i][d] != second[i][d] {
				t.Fatalf("point %d coordinate %d: %v then %v", i, d, first[i][d], second[i][d])
			}
		}
	}
}
