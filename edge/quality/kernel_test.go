package quality

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestSquaredEuclideanKernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for _, dims := range []int{0, 1, 3, 4, 5, 15, 16, 17, 64, 129, 1280} {
		a, b := make([]float64, dims), make([]float64, dims)
		var want float64
		for i := range a {
			a[i], b[i] = rng.NormFloat64(), rng.NormFloat64()
			want += (a[i] - b[i]) * (a[i] - b[i])
		}

		for name, got := range map[string]float64{
			"squaredEuclidean":        squaredEuclidean(a, b),
			"squaredEuclideanGeneric": squaredEuclideanGeneric(a, b),
		} {
			if math.Abs(got-want) > 1e-12*max(1, want) {
				t.Errorf("dims %d: %s = %v, want %v", dims, name, got, want)
			}
		}
	}
}

func TestSquaredDistances(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 26))
	for _, dims := range []int{1, 3, 4, 5, 16, 17, 128, 131} {
		for _, n := range []int{0, 1, 5, 32} {
			y, rows := make([]float64, dims), make([]float64, n*dims)
			for i := range y {
				y[i] = rng.NormFloat64()
			}
			for i := range rows {
				rows[i] = rng.NormFloat64()
			}

			out := make([]float64, n)
			squaredDistances(y, rows, out)
			for r := range out {
				want := squaredEuclideanGeneric(y, rows[r*dims:(r+1)*dims])
				if math.Abs(out[r]-want) > 1e-12*max(1, want) {
					t.Errorf("dims %d, row %d of %d: %v, want %v", dims, r, n, out[r], want)
				}
			}
		}
	}
}
