package hub

import (
	"log/slog"
	"slices"
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

// mapExemplars returns two exemplars of each of the first three clusters
// of mapMembers, near their centroids.
func mapExemplars() []mapExemplar {
	var ex []mapExemplar
	for i, c := range mapMembers()[:3] {
		for j := range 2 {
			v := slices.Clone(c.Centroid)
			v[2] += 0.1 * float32(j+1)
			ex = append(ex, mapExemplar{Device: "cam-1", Cluster: c.Cluster,
				Frame: uint64(10*i + j), Vector: v})
		}
	}
	return ex
}

func TestMapLayoutsInsideMap(t *testing.T) {
	for _, method := range []string{MapPCA, MapTSNE} {
		var c mapCache
		ms, ex := mapMembers(), mapExemplars()
		l := c.layout(t.Context(), quietLog, "m", method, ms, ex)
		if len(l.Coords) != len(ms)+len(ex) {
			t.Fatalf("%s: %d points, want %d", method, len(l.Coords), len(ms)+len(ex))
		}
		pts, dots := scale(ms, l.Exemplars, l.Coords)
		if len(pts) != len(ms) || len(dots) != len(ex) {
			t.Fatalf("%s: %d centroids and %d exemplars, want %d and %d", method,
				len(pts), len(dots), len(ms), len(ex))
		}
		for _, p := range pts {
			if p.X < 0 || p.X > mapSize || p.Y < 0 || p.Y > mapSize {
				t.Errorf("%s: point (%.1f, %.1f) outside the map", method, p.X, p.Y)
			}
		}
		for _, d := range dots {
			if d.X < 0 || d.X > mapSize || d.Y < 0 || d.Y > mapSize {
				t.Errorf("%s: exemplar (%.1f, %.1f) outside the map", method, d.X, d.Y)
			}
		}
		if c.layout(t.Context(), quietLog, "m", method, ms[:2], nil).Coords != nil {
			t.Errorf("%s: two points laid out, want nil below three", method)
		}
	}
}

func TestMapCacheRecomputesOnChange(t *testing.T) {
	var c mapCache
	ms := mapMembers()
	first := c.layout(t.Context(), quietLog, "m", MapTSNE, ms, nil).Coords
	again := c.layout(t.Context(), quietLog, "m", MapTSNE, ms, nil).Coords
	if &first[0][0] != &again[0][0] {
		t.Error("unchanged centroids were laid out again, want the cached layout")
	}

	ms[3].Centroid = wire.Vector{5, 5, 5}
	changed := c.layout(t.Context(), quietLog, "m", MapTSNE, ms, nil).Coords
	if &first[0][0] == &changed[0][0] {
		t.Error("a moved centroid returned the cached layout")
	}
	other := c.layout(t.Context(), quietLog, "m", MapPCA, ms, nil).Coords
	if &other[0][0] == &changed[0][0] {
		t.Error("PCA returned the t-SNE layout")
	}
}

func TestMapRejectsMixedDimensions(t *testing.T) {
	var c mapCache
	ms := mapMembers()
	ms[2].Centroid = wire.Vector{1, 2}
	if c.layout(t.Context(), quietLog, "m", MapPCA, ms, nil).Coords != nil {
		t.Error("centroids of different dimensions laid out, want nil")
	}
}

func TestMapTSNEReproducible(t *testing.T) {
	var a, b mapCache
	first := a.layout(t.Context(), quietLog, "m", MapTSNE, mapMembers(), nil).Coords
	second := b.layout(t.Context(), quietLog, "m", MapTSNE, mapMembers(), nil).Coords
	for i := range first {
		for d := range first[i] {
			if first[i][d] != second[i][d] {
				t.Fatalf("point %d coordinate %d: %v then %v", i, d, first[i][d], second[i][d])
			}
		}
	}
}
