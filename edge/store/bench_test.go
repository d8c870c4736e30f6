package store

import (
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/edge/cluster"
)

// benchState returns a seeded state with k clusters of dims elements.
func benchState(b *testing.B, k, dims int) cluster.State {
	m, err := cluster.New(cluster.Config{K: k, SeedFrames: k}, dims)
	if err != nil {
		b.Fatal(err)
	}
	for i := range k {
		vec := make([]float32, dims)
		for d := range vec {
			vec[d] = float32(i*dims+d) / 7
		}
		if _, err := m.Observe(vec, time.Unix(int64(i), 0), uint64(i)); err != nil {
			b.Fatal(err)
		}
	}
	return m.Snapshot()
}

func BenchmarkSaveLoadClusters(b *testing.B) {
	for _, dims := range []int{128, 1280} {
		for _, k := range []int{8, 32} {
			b.Run(fmt.Sprintf("dims=%d/K=%d", dims, k), func(b *testing.B) {
				s, err := Open(filepath.Join(b.TempDir(), "bench.db"),
					Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
				if err != nil {
					b.Fatal(err)
				}
				defer s.Close()

				st := benchState(b, k, dims)
				for b.Loop() {
					if err := s.SaveClusters("space", st); err != nil {
						b.Fatal(err)
					}
					if _, _, err := s.LoadClusters("space"); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
