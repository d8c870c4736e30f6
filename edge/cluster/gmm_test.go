package cluster

import (
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

// stripes returns n points in two long parallel Gaussian stripes along x,
// with standard deviations 5 along x and 0.2 along y, centred at y = 0 and
// y = 2 with weights 0.7 and 0.3. k-means cuts such stripes across their
// length, a full-covariance mixture separates them.
func stripes(n int, seed uint64) ([][]float64, []int) {
	rng := rand.New(rand.NewPCG(seed, 0x6a))
	points := make([][]float64, n)
	truth := make([]int, n)
	for i := range points {
		if rng.Float64() < 0.3 {
			truth[i] = 1
		}
		points[i] = []float64{5 * rng.NormFloat64(),
			2*float64(truth[i]) + 0.2*rng.NormFloat64()}
	}
	return points, truth
}

// agreement returns the fraction of points whose label matches the truth
// under the better of the two ways to match two clusters.
func agreement(labels, truth []int) float64 {
	same := 0
	for i, l := range labels {
		if l == truth[i] {
			same++
		}
	}
	frac := float64(same) / float64(len(labels))
	return max(frac, 1-frac)
}

func TestGMMSeparatesStripes(t *testing.T) {
	points, truth := stripes(2000, 1)
	res, err := GMM(points, GMMConfig{K: 2, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if got := agreement(res.Labels, truth); got < 0.99 {
		t.Errorf("GMM agreement with the stripes = %.4f, want at least 0.99", got)
	}
	small := 0
	if res.Weights[1] < res.Weights[0] {
		small = 1
	}
	if got := res.Weights[small]; math.Abs(got-0.3) > 0.03 {
		t.Errorf("weight of the smaller component = %.3f, want 0.30 ± 0.03", got)
	}
	if got := res.Covariances[small][0][0]; math.Abs(got-25) > 5 {
		t.Errorf("x variance of the smaller component = %.2f, want 25 ± 5", got)
	}
	if got := res.Covariances[small][1][1]; math.Abs(got-0.04) > 0.01 {
		t.Errorf("y variance of the smaller component = %.4f, want 0.04 ± 0.01", got)
	}

	km, err := KMeans(checkedFloat32(t, points), BatchConfig{K: 2, NInit: 5, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if got := agreement(km.Labels, truth); got > 0.9 {
		t.Errorf("k-means agreement = %.4f, want below 0.9 for the stripes to test GMM", got)
	}
}

func checkedFloat32(t *testing.T, points [][]float64) [][]float32 {
	t.Helper()
	out, err := checkGMMPoints(points, 1)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGMMLogLikelihoodRises(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	points := make([][]float64, 600)
	for i := range points {
		c := float64(i % 3)
		points[i] = []float64{c*3 + rng.NormFloat64(), c*c + rng.NormFloat64(),
			rng.NormFloat64()}
	}
	res, err := GMM(points, GMMConfig{K: 3, NInit: 1, Tolerance: 1e-12, MaxIter: 50, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.History) < 3 {
		t.Fatalf("EM ran %d iterations, want at least 3 to compare", len(res.History))
	}
	for i := 1; i < len(res.History); i++ {
		if res.History[i] < res.History[i-1]-1e-9 {
			t.Errorf("log-likelihood fell from %.9f to %.9f at iteration %d",
				res.History[i-1], res.History[i], i+1)
		}
	}
	if last := res.History[len(res.History)-1]; res.LogLikelihood < last-1e-9 {
		t.Errorf("final log-likelihood %.9f is below the last iteration's %.9f",
			res.LogLikelihood, last)
	}
}

func TestGMMIsDeterministic(t *testing.T) {
	points, _ := stripes(500, 2)
	first, err := GMM(points, GMMConfig{K: 3, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	second, err := GMM(points, GMMConfig{K: 3, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, second) {
		t.Error("two GMM fits with the same seed differ")
	}
}

func TestGMMKeepsBestRun(t *testing.T) {
	points, _ := stripes(800, 5)
	best, err := GMM(points, GMMConfig{K: 4, NInit: 6, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	for run := range 6 {
		single, err := GMM(points, GMMConfig{K: 4, NInit: 1, Seed: 11 + int64(run)})
		if err != nil {
			t.Fatal(err)
		}
		if single.LogLikelihood > best.LogLikelihood {
			t.Errorf("run %d log-likelihood %.6f beats the kept %.6f", run,
				single.LogLikelihood, best.LogLikelihood)
		}
	}
}

func TestGMMRejectsInput(t *testing.T) {
	tests := []struct {
		name   string
		points [][]float64
		cfg    GMMConfig
		want   error
	}{
		{"NaN value", [][]float64{{0, 1}, {math.NaN(), 1}}, GMMConfig{K: 1}, ErrInvalidVector},
		{"more clusters than points", [][]float64{{0}, {1}}, GMMConfig{K: 3}, ErrInvalidVector},
		{"negative NInit", [][]float64{{0}, {1}}, GMMConfig{K: 1, NInit: -1}, ErrInvalidConfig},
		{"NaN tolerance", [][]float64{{0}, {1}}, GMMConfig{K: 1, Tolerance: math.NaN()},
			ErrInvalidConfig},
		{"ragged points", [][]float64{{0, 1}, {1}}, GMMConfig{K: 1}, ErrDimension},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := GMM(tt.points, tt.cfg); !errors.Is(err, tt.want) {
				t.Errorf("GMM error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestGMMSingularComponent(t *testing.T) {
	points := [][]float64{{1, 1}, {1, 1}, {1, 1}, {5, 5}, {6, 5}, {5, 6}}
	res, err := GMM(points, GMMConfig{K: 2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !(res.LogLikelihood > math.Inf(-1)) || math.IsNaN(res.LogLikelihood) {
		t.Errorf("log-likelihood = %v, want a number", res.LogLikelihood)
	}
	if res.Labels[0] == res.Labels[3] {
		t.Errorf("labels %v put the repeated point with the spread points", res.Labels)
	}
}

func TestCholesky(t *testing.T) {
	a := [][]float64{{4, 2, 0}, {2, 5, 1}, {0, 1, 3}}
	l, logDet, ok := cholesky(a)
	if !ok {
		t.Fatal("cholesky rejected a positive definite matrix")
	}
	for i := range a {
		for j := range a {
			var sum float64
			for k := range a {
				sum += l[i][k] * l[j][k]
			}
			if math.Abs(sum-a[i][j]) > 1e-12 {
				t.Errorf("(L·Lᵀ)[%d][%d] = %g, want %g", i, j, sum, a[i][j])
			}
		}
	}
	if want := math.Log(4*(5*3-1) - 2*(2*3)); math.Abs(logDet-want) > 1e-12 {
		t.Errorf("log determinant = %g, want %g", logDet, want)
	}
	if _, _, ok := cholesky([][]float64{{1, 2}, {2, 1}}); ok {
		t.Error("cholesky accepted an indefinite matrix")
	}
}
