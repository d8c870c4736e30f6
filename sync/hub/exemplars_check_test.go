package hub

import (
	"fmt"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/edgecluster/edgecluster/sync/hub/kv"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// viewCounter counts the read transactions of a real store.
type viewCounter struct {
	kv.DB
	views int
}

func (c *viewCounter) View(fn func(tx kv.Tx) error) error {
	c.views++
	return c.DB.View(fn)
}

// floodSummary returns a summary of device "cam" whose every cluster lists
// frame the most times a summary allows.
func floodSummary(seq, frame uint64) wire.Summary {
	s := wire.Summary{V: wire.Version, Device: "cam", Seq: seq}
	for id := range wire.MaxClusters {
		c := wire.Cluster{ID: id, Exemplars: make([]uint64, wire.MaxClusterExemplars)}
		for i := range c.Exemplars {
			c.Exemplars[i] = frame
		}
		s.Clusters = append(s.Clusters, c)
	}
	return s
}

func TestMissingExemplarLargeList(t *testing.T) {
	forEachStore(t, testMissingExemplarLargeList)
}

func testMissingExemplarLargeList(t *testing.T, state Options) {
	h, _ := uiHub(t, state)
	if err := h.ingestExemplars(exemplarsMessage(t, [2]int{1, 5})); err != nil {
		t.Fatal(err)
	}
	counter := &viewCounter{DB: h.store.db}
	h.store.db = counter

	tests := []struct {
		name  string
		s     wire.Summary
		want  bool
		views int
	}{
		{"stored frame listed 262144 times", floodSummary(1, 5), false, 1},
		{"missing frame listed 262144 times", floodSummary(2, 6), true, 1},
		{"no exemplars", wire.Summary{Device: "cam"}, false, 0},
	}
	for _, tt := range tests {
		counter.views = 0
		if got := h.missingExemplar(tt.s); got != tt.want {
			t.Errorf("%s: missing = %v, want %v", tt.name, got, tt.want)
		}
		if counter.views != tt.views {
			t.Errorf("%s: %d read transactions, want %d", tt.name, counter.views, tt.views)
		}
	}
}

// A summary the hub already stores is dropped without looking at its
// exemplars again.
func TestDuplicateSummarySkipsExemplarCheck(t *testing.T) {
	h, _ := uiHub(t, boltState(t))
	s := floodSummary(1, 5)
	payload, err := wire.Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	counter := &viewCounter{DB: h.store.db}
	h.store.db = counter
	var views []int
	for range 2 {
		counter.views = 0
		if _, err := h.ingestSummary(s, payload); err != nil {
			t.Fatal(err)
		}
		views = append(views, counter.views)
	}
	if views[0] != 1 || views[1] != 0 {
		t.Errorf("read transactions per ingest = %v, want [1 0]", views)
	}
}

// BenchmarkMissingExemplar checks summaries whose every cluster lists one
// stored frame wire.MaxClusterExemplars times, by cluster count, on bbolt.
func BenchmarkMissingExemplar(b *testing.B) {
	for _, n := range []int{1, 64, wire.MaxClusters} {
		b.Run(fmt.Sprintf("clusters=%d", n), func(b *testing.B) {
			h, err := New(Options{StatePath: filepath.Join(b.TempDir(), "hub.db"),
				Broker: "tcp://127.0.0.1:1", Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				b.Fatal(err)
			}
			defer h.store.close()
			s := floodSummary(1, 5)
			s.Clusters = s.Clusters[:n]
			for b.Loop() {
				h.missingExemplar(s)
			}
		})
	}
}
