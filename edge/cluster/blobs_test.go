package cluster_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/edge/cluster"
	"github.com/edgecluster/edgecluster/edge/quality"
)

// gaussianBlobs returns n points in dims dimensions from k unit-variance
// blobs with centers drawn uniformly from [-10, 10] per axis, in random order,
// and each point's blob.
func gaussianBlobs(rng *rand.Rand, n, dims, k int) ([][]float32, []int) {
	centers := make([][]float64, k)
	for c := range centers {
		centers[c] = make([]float64, dims)
		for d := range centers[c] {
			centers[c][d] = rng.Float64()*20 - 10
		}
	}

	points := make([][]float32, n)
	truth := make([]int, n)
	for i := range points {
		truth[i] = rng.IntN(k)
		points[i] = make([]float32, dims)
		for d := range points[i] {
			points[i][d] = float32(centers[truth[i]][d] + rng.NormFloat64())
		}
	}
	return points, truth
}

func TestRecoversGaussianBlobs(t *testing.T) {
	for _, metric := range []cluster.Metric{cluster.Euclidean, cluster.Cosine} {
		for seed := uint64(1); seed <= 3; seed++ {
			t.Run(fmt.Sprintf("%v/seed=%d", metric, seed), func(t *testing.T) {
				recoverBlobs(t, metric, seed)
			})
		}
	}
}

func recoverBlobs(t *testing.T, metric cluster.Metric, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 99))
	points, truth := gaussianBlobs(rng, 600, 16, 3)
	m, err := cluster.New(cluster.Config{K: 3, Metric: metric, Seed: int64(seed)}, 16)
	if err != nil {
		t.Fatal(err)
	}

	start := time.Unix(0, 0)
	for i, p := range points {
		if _, err := m.Observe(p, start.Add(time.Duration(i)*time.Second), uint64(i)); err != nil {
			t.Fatal(err)
		}
	}

	pred := make([]int, len(points))
	for i, p := range points {
		a, err := m.Nearest(p)
		if err != nil {
			t.Fatal(err)
		}
		pred[i] = a.Cluster
	}
	if nmi := quality.NMI(truth, pred); nmi < 0.95 {
		t.Errorf("NMI = %.4f, want >= 0.95", nmi)
	}
}
