package reduce

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// randomRows returns n rows of dims standard normal values.
func randomRows(n, dims int, seed uint64) [][]float64 {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := make([][]float64, n)
	for i := range x {
		x[i] = make([]float64, dims)
		for j := range x[i] {
			x[i][j] = rng.NormFloat64()
		}
	}
	return x
}

func testP(t *testing.T, x [][]float64, perplexity float64) *sparseP {
	t.Helper()
	cfg, err := TSNEOptions{Perplexity: perplexity, Workers: 1}.resolve(len(x))
	if err != nil {
		t.Fatal(err)
	}
	p, err := affinities(context.Background(), x, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// exactKL is the t-SNE objective with Z summed over all pairs.
func exactKL(p *sparseP, y []float64, dims int) float64 {
	z := 0.0
	for i := 0; i < len(y)/dims; i++ {
		z += pairRepulsion(y, dims, i, make([]float64, dims))
	}
	return sparseKL(p, y, dims, z)
}

func TestGradientFiniteDifferences(t *testing.T) {
	for _, dims := range []int{2, 3} {
		x := randomRows(12, 5, 7)
		p := testP(t, x, 3)
		y := flatten(randomRows(12, dims, 8))

		g := newGradient(p, 12, tsneConfig{TSNEOptions: TSNEOptions{Dims: dims, Exact: true,
			Workers: 1}})
		grad := make([]float64, len(y))
		g.compute(y, 1, grad)

		const h = 1e-6
		for i := range y {
			saved := y[i]
			y[i] = saved + h
			up := exactKL(p, y, dims)
			y[i] = saved - h
			down := exactKL(p, y, dims)
			y[i] = saved
			numeric := (up - down) / (2 * h)
			if math.Abs(numeric-grad[i]) > 1e-6*max(1, math.Abs(numeric)) {
				t.Errorf("dims %d coordinate %d: gradient %.9g, finite difference %.9g",
					dims, i, grad[i], numeric)
			}
		}
	}
}

func TestBarnesHutThetaZeroMatchesExact(t *testing.T) {
	for _, dims := range []int{2, 3} {
		x := randomRows(300, 10, 3)
		p := testP(t, x, 10)
		y := flatten(randomRows(300, dims, 4))
		exact, tree := make([]float64, len(y)), make([]float64, len(y))

		zExact := newGradient(p, 300, gradientConfig(dims, 0, true)).compute(y, 1, exact)
		zTree := newGradient(p, 300, gradientConfig(dims, 0, false)).compute(y, 1, tree)
		if math.Abs(zExact-zTree) > 1e-9*zExact {
			t.Errorf("dims %d: Z = %.12g with the tree, %.12g exact", dims, zTree, zExact)
		}
		if e := maxRelativeError(tree, exact); e > 1e-9 {
			t.Errorf("dims %d: theta 0 gradient differs from exact by %.3g", dims, e)
		}
	}
}

func TestBarnesHutApproximationError(t *testing.T) {
	x := randomRows(2000, 10, 5)
	p := testP(t, x, 30)
	y := flatten(randomRows(2000, 2, 6))
	exact, approx := make([]float64, len(y)), make([]float64, len(y))
	newGradient(p, 2000, gradientConfig(2, 0, true)).compute(y, 1, exact)
	newGradient(p, 2000, gradientConfig(2, 0.5, false)).compute(y, 1, approx)

	// On this data the error is about 0.2 % of the largest entry, so the
	// bound leaves room for other seeds and architectures.
	e := maxRelativeError(approx, exact)
	t.Logf("theta 0.5 gradient error: %.5f of the largest entry", e)
	if e > 0.02 {
		t.Errorf("theta 0.5 gradient error = %.4f of the largest entry, want <= 0.02", e)
	}
}

func gradientConfig(dims int, theta float64, exact bool) tsneConfig {
	return tsneConfig{TSNEOptions: TSNEOptions{Dims: dims, Theta: theta, Exact: exact,
		Workers: 2}}
}

// maxRelativeError returns the largest |got - want| over the largest |want|.
func maxRelativeError(got, want []float64) float64 {
	scale, worst := 0.0, 0.0
	for i := range want {
		scale = max(scale, math.Abs(want[i]))
		worst = max(worst, math.Abs(got[i]-want[i]))
	}
	return worst / scale
}

func newTestRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 2))
}
