package hub

import (
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/edgecluster/edgecluster/internal/pgtest"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// BenchmarkIngestSummary stores summaries with 8 clusters of 64
// dimensions, one transaction each, without MQTT, by store backend. The
// durable PostgreSQL server flushes each commit to disk as bbolt does;
// the other runs with fsync and synchronous_commit off.
func BenchmarkIngestSummary(b *testing.B) {
	backends := []struct {
		name  string
		state func(b *testing.B) Options
	}{
		{"bbolt", func(b *testing.B) Options {
			return Options{StatePath: filepath.Join(b.TempDir(), "hub.db")}
		}},
		{"postgres-durable", func(b *testing.B) Options {
			return Options{Store: pgtest.StartWith(b, pgtest.Options{Durable: true}).NewDatabase()}
		}},
		{"postgres-nosync", func(b *testing.B) Options {
			return Options{Store: pgtest.Start(b).NewDatabase()}
		}},
	}
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			opts := be.state(b)
			opts.Broker = "tcp://127.0.0.1:1"
			opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
			h, err := New(opts)
			if err != nil {
				b.Fatal(err)
			}
			defer h.store.close()
			topic := wire.Topic(wire.DefaultPrefix, "cam-1", wire.KindSummary)
			b.ResetTimer()
			for i := range b.N {
				if err := h.ingest(topic, benchSummary(uint64(i+1))); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "summaries/s")
		})
	}
}

func benchSummary(seq uint64) []byte {
	s := wire.Summary{V: wire.Version, Device: "cam-1", Epoch: "e1", Seq: seq,
		Model: wire.Model{Dims: 64}}
	for c := range 8 {
		vec := make(wire.Vector, 64)
		vec[c] = 1
		s.Clusters = append(s.Clusters, wire.Cluster{ID: c, Count: 10, Centroid: vec})
	}
	data, err := wire.Encode(s)
	if err != nil {
		panic(fmt.Sprint("encode summary: ", err))
	}
	return data
}

// BenchmarkMapLayout lays out 32 centroids and MaxMapExemplars exemplars
// of 1280 dimensions with PCA. The computed case starts from an empty
// cache each time. The cached case repeats unchanged points, as each page
// view does per model.
func BenchmarkMapLayout(b *testing.B) {
	ms := randomMembers(32, 1280)
	var ex []mapExemplar
	for i, m := range randomMembers(MaxMapExemplars, 1280) {
		ex = append(ex, mapExemplar{Device: "cam-0", Cluster: i % 32, Frame: uint64(i),
			Vector: m.Centroid})
	}
	b.Run("computed", func(b *testing.B) {
		for b.Loop() {
			var c mapCache
			if c.layout(b.Context(), quietLog, "m", MapPCA, ms, ex).Coords == nil {
				b.Fatal("no layout")
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		var c mapCache
		if c.layout(b.Context(), quietLog, "m", MapPCA, ms, ex).Coords == nil {
			b.Fatal("no layout")
		}
		for b.Loop() {
			c.layout(b.Context(), quietLog, "m", MapPCA, ms, ex)
		}
	})
}
