package hub

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/sync/wire"
)

// randomMembers returns n members of one device with random dims-d
// centroids.
func randomMembers(n, dims int) []Member {
	r := rand.New(rand.NewPCG(1, 2))
	ms := make([]Member, n)
	for i := range ms {
		v := make(wire.Vector, dims)
		for j := range v {
			v[j] = float32(r.NormFloat64())
		}
		ms[i] = Member{Device: fmt.Sprintf("cam-%d", i/1024), Cluster: i % 1024, Centroid: v}
	}
	return ms
}

func TestMapTSNEFallsBackToPCA(t *testing.T) {
	var c mapCache
	ms := randomMembers(MaxTSNEPoints+1, 8)
	tsne := c.layout(t.Context(), quietLog, "m", MapTSNE, ms, nil)
	if tsne.Method != MapPCA || len(tsne.Notes) != 1 || !strings.Contains(tsne.Notes[0], "PCA") {
		t.Errorf("method %q notes %q, want PCA with a note", tsne.Method, tsne.Notes)
	}
	pca := c.layout(t.Context(), quietLog, "m", MapPCA, ms, nil)
	if len(tsne.Coords) != len(ms) || &tsne.Coords[0][0] != &pca.Coords[0][0] {
		t.Error("t-SNE of too many points is not the cached PCA layout")
	}
	if l := c.layout(t.Context(), quietLog, "m", MapTSNE, mapMembers(), nil); l.Method != MapTSNE ||
		l.Notes != nil {
		t.Errorf("a few points laid out by %q with notes %q, want t-SNE", l.Method, l.Notes)
	}
}

// A view whose request ends stops its t-SNE; meanwhile other maps are
// served, and the next view computes the map again.
func TestMapCancelStopsTSNE(t *testing.T) {
	var c mapCache
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	result := make(chan mapLayout)
	go func() { result <- c.layout(ctx, log, "m", MapTSNE, randomMembers(1500, 16), nil) }()

	running := c.waitEntry(t, "m/"+MapTSNE)
	other := c.layout(t.Context(), quietLog, "other", MapPCA, mapMembers(), nil)
	if other.Coords == nil {
		t.Error("PCA map of another model not drawn while t-SNE runs")
	}
	select {
	case <-running.done:
		t.Fatal("t-SNE of 1500 points finished before the request was cancelled")
	default:
	}
	cancel()

	select {
	case l := <-result:
		if l.Coords != nil {
			t.Error("a cancelled view returned a map")
		}
		if !strings.Contains(buf.String(), `err="context canceled"`) {
			t.Errorf("t-SNE did not stop with the request's error:\n%s", buf.String())
		}
	case <-time.After(time.Minute):
		t.Fatal("t-SNE kept running after its request was cancelled")
	}
	c.mu.Lock()
	_, kept := c.layouts["m/"+MapTSNE]
	c.mu.Unlock()
	if kept {
		t.Error("the abandoned layout stays cached, want it dropped")
	}
}

// waitEntry returns the entry of key once a layout made it.
func (c *mapCache) waitEntry(t *testing.T, key string) *mapEntry {
	t.Helper()
	for range 10000 {
		c.mu.Lock()
		e := c.layouts[key]
		c.mu.Unlock()
		if e != nil {
			return e
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("no layout of %s started", key)
	return nil
}

// Points that t-SNE rejects are logged once, not on every view.
func TestMapFailureCached(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	var c mapCache
	ms := mapMembers()
	ms[1].Centroid = wire.Vector{float32(math.NaN()), 0, 0}
	for range 3 {
		if c.layout(t.Context(), log, "m", MapTSNE, ms, nil).Coords != nil {
			t.Error("NaN centroid laid out, want no map")
		}
	}
	if n := strings.Count(buf.String(), "cluster map failed"); n != 1 {
		t.Errorf("failure logged %d times over three views, want once:\n%s", n, buf.String())
	}
}
