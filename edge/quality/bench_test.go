package quality

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func randomLabelled(n, dims, k int) ([][]float32, []int) {
	rng := rand.New(rand.NewPCG(1, 2))
	points := make([][]float32, n)
	labels := make([]int, n)
	for i := range points {
		labels[i] = i % k
		points[i] = make([]float32, dims)
		for d := range points[i] {
			points[i][d] = float32(rng.NormFloat64()) + float32(labels[i])
		}
	}
	return points, labels
}

func BenchmarkSilhouette(b *testing.B) {
	for _, n := range []int{64, 256} {
		b.Run(fmt.Sprintf("n=%d/dims=1280", n), func(b *testing.B) {
			points, labels := randomLabelled(n, 1280, 8)
			for b.Loop() {
				if _, err := Silhouette(points, labels); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDaviesBouldin(b *testing.B) {
	for _, n := range []int{64, 256} {
		b.Run(fmt.Sprintf("n=%d/dims=1280", n), func(b *testing.B) {
			points, labels := randomLabelled(n, 1280, 8)
			for b.Loop() {
				if _, err := DaviesBouldin(points, labels); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSilhouetteLarge matches the size of the scikit-learn comparison
// in scripts/bench/silhouette_sklearn.py.
func BenchmarkSilhouetteLarge(b *testing.B) {
	points, labels := randomLabelled(10000, 128, 16)
	b.Run("exact/n=10000/dims=128", func(b *testing.B) {
		for b.Loop() {
			if _, err := Silhouette(points, labels); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sampled=1000/n=10000/dims=128", func(b *testing.B) {
		for b.Loop() {
			if _, err := SampledSilhouette(points, labels, 1000, 1); err != nil {
				b.Fatal(err)
			}
		}
	})
}
