package reduce

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
)

// Optimiser constants from van der Maaten (2014): the momentum of the early
// and late phases, and the gain rule that adds 0.2 where the gradient
// changes sign, multiplies by 0.8 where it keeps it, and never drops
// below 0.01.
const (
	earlyMomentum = 0.5
	lateMomentum  = 0.8
	gainIncrease  = 0.2
	gainDecay     = 0.8
	minGain       = 0.01
	initialScale  = 1e-4
)

// TSNE embeds the rows of x in opts.Dims dimensions with t-SNE and returns
// one row per input row. It returns ctx's error when ctx is cancelled
// between iterations, and an error wrapping ErrInvalidInput or
// ErrUnsupported for bad input or options.
func TSNE(ctx context.Context, x [][]float64, opts TSNEOptions) ([][]float64, error) {
	if _, err := checkRows(x); err != nil {
		return nil, err
	}
	cfg, err := opts.resolve(len(x))
	if err != nil {
		return nil, err
	}
	if len(x) == 1 {
		return [][]float64{make([]float64, cfg.Dims)}, nil
	}

	p, err := affinities(ctx, x, cfg)
	if err != nil {
		return nil, err
	}
	y, err := initialEmbedding(x, cfg)
	if err != nil {
		return nil, err
	}
	if err := optimise(ctx, p, y, cfg); err != nil {
		return nil, err
	}
	return toRows(y, cfg.Dims), nil
}

// affinities finds each row's cfg.neighbours nearest rows, calibrates
// their conditional probabilities to the perplexity and returns the
// symmetrised P.
func affinities(ctx context.Context, x [][]float64, cfg tsneConfig) (*sparseP, error) {
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x7453_4e45))
	tree := newVPTree(x, rng)
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	neighbours := make([][]neighbour, len(x))
	cond := make([][]float64, len(x))
	parallelFor(cfg.Workers, len(x), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			neighbours[i] = tree.search(i, cfg.neighbours)
			cond[i] = make([]float64, len(neighbours[i]))
			conditional(neighbours[i], cfg.Perplexity, cond[i])
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return symmetrise(neighbours, cond), nil
}

func initialEmbedding(x [][]float64, cfg tsneConfig) ([]float64, error) {
	y := make([]float64, len(x)*cfg.Dims)
	if cfg.Init == InitPCA {
		return pcaStart(x, cfg.Dims, y)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x696e_6974))
	for i := range y {
		y[i] = rng.NormFloat64() * initialScale
	}
	return y, nil
}

// pcaStart fills y with the first principal components of x, scaled so
// the first has standard deviation initialScale.
func pcaStart(x [][]float64, dims int, y []float64) ([]float64, error) {
	model, proj, err := PCA(x, dims)
	if err != nil {
		return nil, fmt.Errorf("t-SNE PCA initialisation: %w", err)
	}
	scale := 0.0
	if sd := math.Sqrt(model.ExplainedVariance[0]); sd > 0 {
		scale = initialScale / sd
	}
	for i, row := range proj {
		for d, v := range row {
			y[i*dims+d] = v * scale
		}
	}
	return y, nil
}

// optimise runs gradient descent with momentum and per-coordinate gains on
// y, exaggerating P during the early phase.
func optimise(ctx context.Context, p *sparseP, y []float64, cfg tsneConfig) error {
	g := newGradient(p, len(y)/cfg.Dims, cfg)
	grad := make([]float64, len(y))
	update := make([]float64, len(y))
	gains := make([]float64, len(y))
	for i := range gains {
		gains[i] = 1
	}

	for it := 0; it < cfg.Iterations; it++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		exaggeration, momentum := 1.0, lateMomentum
		if it < cfg.ExaggerationIterations {
			exaggeration, momentum = cfg.EarlyExaggeration, earlyMomentum
		}
		z := g.compute(y, exaggeration, grad)
		step(y, grad, update, gains, momentum, cfg.LearningRate/4)
		centreColumns(y, cfg.Dims)
		report(cfg, it+1, func() float64 { return sparseKL(p, y, cfg.Dims, z) })
	}
	return nil
}

// report calls cfg.Progress at each interval and after the last iteration.
// The KL uses the Z of the positions before the step, an estimate that
// avoids a second tree pass.
func report(cfg tsneConfig, iteration int, kl func() float64) {
	if cfg.Progress == nil {
		return
	}
	if iteration%DefaultProgressInterval == 0 || iteration == cfg.Iterations {
		cfg.Progress(iteration, kl())
	}
}

func step(y, grad, update, gains []float64, momentum, rate float64) {
	for i, gr := range grad {
		if (gr > 0) != (update[i] > 0) {
			gains[i] += gainIncrease
		} else {
			gains[i] = max(gains[i]*gainDecay, minGain)
		}
		update[i] = momentum*update[i] - rate*gains[i]*gr
		y[i] += update[i]
	}
}

func centreColumns(y []float64, dims int) {
	n := float64(len(y) / dims)
	for d := 0; d < dims; d++ {
		mean := 0.0
		for i := d; i < len(y); i += dims {
			mean += y[i]
		}
		mean /= n
		for i := d; i < len(y); i += dims {
			y[i] -= mean
		}
	}
}

func toRows(y []float64, dims int) [][]float64 {
	rows := make([][]float64, len(y)/dims)
	for i := range rows {
		rows[i] = y[i*dims : (i+1)*dims : (i+1)*dims]
	}
	return rows
}
