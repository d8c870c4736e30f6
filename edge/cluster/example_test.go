package cluster_test

import (
	"fmt"
	"time"

	"github.com/edgecluster/edgecluster/edge/cluster"
)

func Example() {
	m, err := cluster.New(cluster.Config{K: 2, SeedFrames: 4}, 2)
	if err != nil {
		fmt.Println(err)
		return
	}

	frames := [][]float32{{0, 0}, {0, 1}, {10, 10}, {10, 11}, {9, 10}}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, vec := range frames {
		a, err := m.Observe(vec, start.Add(time.Duration(i)*time.Second), uint64(i))
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("frame %d: cluster %d\n", i, a.Cluster)
	}
	// Output:
	// frame 0: cluster -1
	// frame 1: cluster -1
	// frame 2: cluster -1
	// frame 3: cluster 0
	// frame 4: cluster 0
}

func ExampleRestore() {
	cfg := cluster.Config{K: 1, SeedFrames: 2}
	m, _ := cluster.New(cfg, 1)
	m.Observe([]float32{1}, time.Time{}, 1)

	restored, err := cluster.Restore(cfg, m.Snapshot())
	if err != nil {
		fmt.Println(err)
		return
	}
	a, _ := restored.Observe([]float32{3}, time.Time{}, 2)
	fmt.Println(restored.Observed(), a.Cluster, restored.Snapshot().Clusters[0].Centroid)
	// Output: 2 0 [2]
}
