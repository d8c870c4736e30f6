package reduce

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
)

// blobs returns n rows of dims values from 10 Gaussian clusters with unit
// spread whose centres are drawn with spread 8, a stand-in for embeddings
// of a few scenes.
func blobs(n, dims int, seed uint64) [][]float64 {
	rng := rand.New(rand.NewPCG(seed, 3))
	centres := make([][]float64, 10)
	for c := range centres {
		centres[c] = make([]float64, dims)
		for j := range centres[c] {
			centres[c][j] = 8 * rng.NormFloat64()
		}
	}
	x := make([][]float64, n)
	for i := range x {
		x[i] = make([]float64, dims)
		for j, m := range centres[i%10] {
			x[i][j] = m + rng.NormFloat64()
		}
	}
	return x
}

func BenchmarkTSNE(b *testing.B) {
	for _, n := range []int{1000, 5000, 10000} {
		x := blobs(n, 50, 1)
		b.Run(fmt.Sprintf("n=%d/d=50", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := TSNE(context.Background(), x, TSNEOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkGradient(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		x := blobs(n, 50, 1)
		cfg, err := TSNEOptions{}.resolve(n)
		if err != nil {
			b.Fatal(err)
		}
		p, err := affinities(context.Background(), x, cfg)
		if err != nil {
			b.Fatal(err)
		}
		y := flatten(blobs(n, 2, 2))
		grad := make([]float64, len(y))
		g := newGradient(p, n, cfg)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			for b.Loop() {
				g.compute(y, 1, grad)
			}
		})
	}
}

func BenchmarkPCA(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		x := blobs(n, 50, 1)
		b.Run(fmt.Sprintf("n=%d/d=50", n), func(b *testing.B) {
			for b.Loop() {
				if _, _, err := PCA(x, 2); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
