package eval

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/edgecluster/edgecluster/edge/cluster"
)

// Method names in result tables.
const (
	MethodStreaming = "edgecluster streaming"
	MethodBatch     = "edgecluster KMeans"
)

// labelling is one method's cluster labels for a data set and the seconds
// its fit took.
type labelling struct {
	method  string
	labels  []int
	seconds float64
}

// seedFramesPerCluster sets the seed buffer of shuffled data sets. On
// scikit-learn's digits (K = 10), a 500-frame buffer brought the mean
// streaming inertia over seeds 1 to 4 from 1.060 to 1.020 times the batch
// inertia, and on 10000 MNIST images from 1.015 to 1.010.
const seedFramesPerCluster = 50

// streamingConfig returns the online model's configuration for ds. A
// shuffled data set is one stationary stream, so the half-life is the
// stream's length, the centroids approach plain running means, and seeding
// buffers seedFramesPerCluster·K frames. A time-ordered clip keeps the
// device defaults, which follow scene changes.
func streamingConfig(ds Dataset, seed int64) cluster.Config {
	cfg := cluster.Config{K: ds.K, Seed: seed}
	if !ds.Ordered {
		cfg.HalfLife = float64(len(ds.Points))
		cfg.SeedFrames = min(seedFramesPerCluster*ds.K, len(ds.Points))
	}
	return cfg
}

// runStreaming observes every point once, one at a time, in clip order or
// in a seeded shuffle, then labels each point with its nearest centroid.
func runStreaming(ds Dataset, seed int64) (labelling, error) {
	order := make([]int, len(ds.Points))
	for i := range order {
		order[i] = i
	}
	if !ds.Ordered {
		rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed))
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	}

	start := time.Now()
	m, err := cluster.New(streamingConfig(ds, seed), len(ds.Points[0]))
	if err != nil {
		return labelling{}, err
	}
	base := time.Unix(0, 0)
	for step, i := range order {
		at := base.Add(time.Duration(step) * time.Second)
		if _, err := m.Observe(ds.Points[i], at, uint64(i)); err != nil {
			return labelling{}, fmt.Errorf("observe point %d: %w", i, err)
		}
	}
	seconds := time.Since(start).Seconds()

	labels := make([]int, len(ds.Points))
	for i, p := range ds.Points {
		a, err := m.Nearest(p)
		if err != nil {
			return labelling{}, err
		}
		labels[i] = a.Cluster
	}
	return labelling{method: MethodStreaming, labels: labels, seconds: seconds}, nil
}

// runBatch fits cluster.KMeans with nInit restarts.
func runBatch(ds Dataset, seed int64, nInit int) (labelling, error) {
	start := time.Now()
	r, err := cluster.KMeans(ds.Points, cluster.BatchConfig{K: ds.K, NInit: nInit, Seed: seed})
	if err != nil {
		return labelling{}, err
	}
	return labelling{method: MethodBatch, labels: r.Labels,
		seconds: time.Since(start).Seconds()}, nil
}
