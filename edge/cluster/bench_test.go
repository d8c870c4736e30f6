package cluster

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// unitVectors returns n random L2-normalised vectors, like the embedder's.
func unitVectors(n, dims int) [][]float32 {
	rng := rand.New(rand.NewPCG(5, 6))
	out := make([][]float32, n)
	for i := range out {
		out[i] = make([]float32, dims)
		var norm float64
		for d := range out[i] {
			v := rng.NormFloat64()
			out[i][d] = float32(v)
			norm += v * v
		}
		for d := range out[i] {
			out[i][d] /= float32(math.Sqrt(norm))
		}
	}
	return out
}

// benchVectors returns the vectors of EDGECLUSTER_BENCH_VECTORS/d<dims>.f32,
// little-endian float32 rows written by scripts/bench/observe_sklearn.py, so
// that scripts/bench/observe.sh times scikit-learn on the same vectors.
// Without the variable it returns 1024 random unit vectors.
func benchVectors(b *testing.B, dims int) [][]float32 {
	dir := os.Getenv("EDGECLUSTER_BENCH_VECTORS")
	if dir == "" {
		return unitVectors(1024, dims)
	}
	data, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("d%d.f32", dims)))
	if err != nil {
		b.Fatal(err)
	}
	rows := len(data) / (4 * dims)
	if rows < 1024 || len(data) != 4*dims*rows {
		b.Fatalf("%s: %d bytes are not at least 1024 rows of %d float32 values",
			dir, len(data), dims)
	}
	out := make([][]float32, rows)
	for i := range out {
		out[i] = make([]float32, dims)
		for j := range out[i] {
			bits := binary.LittleEndian.Uint32(data[4*(i*dims+j):])
			out[i][j] = math.Float32frombits(bits)
		}
	}
	return out
}

func BenchmarkObserve(b *testing.B) {
	for _, metric := range []Metric{Euclidean, Cosine} {
		for _, dims := range []int{64, 128, 1280} {
			for _, k := range []int{16, 64} {
				name := fmt.Sprintf("%v/dims=%d/K=%d", metric, dims, k)
				b.Run(name, func(b *testing.B) { benchmarkObserve(b, metric, dims, k) })
			}
		}
	}
}

func benchmarkObserve(b *testing.B, metric Metric, dims, k int) {
	vectors := benchVectors(b, dims)
	m := mustNew(b, Config{K: k, Metric: metric}, dims)
	for i := 0; !m.Seeded(); i++ {
		mustObserve(b, m, vectors[i%len(vectors)], i)
	}

	i := 0
	for b.Loop() {
		if _, err := m.Observe(vectors[i%len(vectors)], epoch, uint64(i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkSeed(b *testing.B) {
	for _, dims := range []int{128, 1280} {
		for _, k := range []int{8, 32} {
			b.Run(fmt.Sprintf("dims=%d/K=%d", dims, k), func(b *testing.B) {
				vectors := unitVectors(4*k, dims)
				for b.Loop() {
					m := mustNew(b, Config{K: k}, dims)
					for i, v := range vectors {
						mustObserve(b, m, v, i)
					}
				}
			})
		}
	}
}

// BenchmarkObserveBatch feeds batches of 1024 vectors; ns/op is per batch.
func BenchmarkObserveBatch(b *testing.B) {
	for _, dims := range []int{64, 128, 1280} {
		for _, k := range []int{16, 64} {
			b.Run(fmt.Sprintf("euclidean/dims=%d/K=%d", dims, k), func(b *testing.B) {
				vectors := benchVectors(b, dims)[:1024]
				m := mustNew(b, Config{K: k}, dims)
				for i := 0; !m.Seeded(); i++ {
					mustObserve(b, m, vectors[i], i)
				}
				frames := make([]uint64, len(vectors))
				for b.Loop() {
					if _, err := m.ObserveBatch(vectors, epoch, frames); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkKMeans(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("n=%d/dims=128/K=16", n), func(b *testing.B) {
			points := unitVectors(n, 128)
			for b.Loop() {
				if _, err := KMeans(points, BatchConfig{K: 16, NInit: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
