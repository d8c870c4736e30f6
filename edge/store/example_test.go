package store_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/edgecluster/edgecluster/edge/cluster"
	"github.com/edgecluster/edgecluster/edge/store"
)

func Example() {
	dir, err := os.MkdirTemp("", "store-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	s, err := store.Open(filepath.Join(dir, "edgecluster.db"), store.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	cfg := cluster.Config{K: 2, SeedFrames: 2}
	m, _ := cluster.New(cfg, 2)
	m.Observe([]float32{0, 0}, time.Now(), 1)
	m.Observe([]float32{4, 4}, time.Now(), 2)
	if err := s.SaveClusters("mobilenet-v3-small", m.Snapshot()); err != nil {
		log.Fatal(err)
	}

	st, found, err := s.LoadClusters("mobilenet-v3-small")
	if err != nil || !found {
		log.Fatal("no saved clusters: ", err)
	}
	resumed, err := cluster.Restore(cfg, st)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resumed.Observed(), resumed.Seeded())
	// Output: 2 true
}
