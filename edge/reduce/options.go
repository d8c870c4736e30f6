package reduce

import (
	"fmt"
	"math"
)

// Defaults that replace zero TSNEOptions fields. The optimiser schedule
// follows van der Maaten (2014): exaggeration 12 and momentum 0.5 for the
// first 250 iterations, momentum 0.8 after, learning rate 200.
const (
	DefaultDims                   = 2
	DefaultPerplexity             = 30
	DefaultTheta                  = 0.5
	DefaultIterations             = 1000
	DefaultEarlyExaggeration      = 12
	DefaultExaggerationIterations = 250
	DefaultLearningRate           = 200
	DefaultProgressInterval       = 50
)

// Init selects the starting embedding of TSNE.
type Init int

const (
	// InitRandom draws every coordinate from a normal distribution with
	// standard deviation 1e-4.
	InitRandom Init = iota

	// InitPCA starts from the first principal components, scaled so that
	// the first has standard deviation 1e-4. It keeps the layout of the
	// data's largest variations, so maps of similar data look alike.
	InitPCA
)

// TSNEOptions configures TSNE. The zero value is a 2-D Barnes-Hut
// embedding with the defaults above, random initialisation and seed 0.
type TSNEOptions struct {
	// Dims is the output dimension, 2 or 3. 0 means DefaultDims.
	Dims int

	// Perplexity is the effective number of neighbours of each point.
	// 0 means DefaultPerplexity. With n points it is lowered to (n-1)/3,
	// so that each point has at least 3·perplexity neighbours.
	Perplexity float64

	// Theta is the Barnes-Hut accuracy in (0, 1]: larger is faster and
	// coarser. 0 means DefaultTheta. Exact overrides it.
	Theta float64

	// Exact computes the repulsive forces between all pairs of points,
	// which costs O(n²) per iteration. It is the same as theta 0.
	Exact bool

	// Iterations is the number of gradient steps. 0 means
	// DefaultIterations.
	Iterations int

	// EarlyExaggeration multiplies P during the first
	// ExaggerationIterations steps. 0 means DefaultEarlyExaggeration.
	EarlyExaggeration float64

	// ExaggerationIterations is the length of the early phase, with
	// exaggeration and momentum 0.5. 0 means DefaultExaggerationIterations.
	ExaggerationIterations int

	// LearningRate is the step size in the convention of bhtsne, FIt-SNE
	// and openTSNE: a step is the rate times a quarter of the gradient.
	// scikit-learn 1.2 documents that its learning_rate r equals 4r there.
	// 0 means DefaultLearningRate or n/EarlyExaggeration, whichever is
	// larger, the value that scikit-learn's "auto" also gives.
	LearningRate float64

	// Init selects the starting embedding.
	Init Init

	// Seed seeds the vantage-point tree and the random initialisation.
	// The same seed and input give the same output bytes on one
	// architecture, whatever the number of workers.
	Seed uint64

	// Workers is the number of goroutines that compute neighbours,
	// bandwidths and gradients. 0 means runtime.GOMAXPROCS(0).
	Workers int

	// Progress, when set, is called every DefaultProgressInterval
	// iterations and after the last one with the iteration count and the
	// KL divergence of the current embedding, estimated with the
	// Barnes-Hut normaliser.
	Progress func(iteration int, kl float64)
}

// tsneConfig is TSNEOptions with defaults applied and limits checked.
type tsneConfig struct {
	TSNEOptions
	neighbours int
}

func (o TSNEOptions) resolve(n int) (tsneConfig, error) {
	if err := o.check(); err != nil {
		return tsneConfig{}, err
	}
	o.Dims = orDefault(o.Dims, DefaultDims)
	o.Perplexity = orDefault(o.Perplexity, DefaultPerplexity)
	o.Theta = orDefault(o.Theta, DefaultTheta)
	if o.Exact {
		o.Theta = 0
	}
	o.Iterations = orDefault(o.Iterations, DefaultIterations)
	o.EarlyExaggeration = orDefault(o.EarlyExaggeration, DefaultEarlyExaggeration)
	o.ExaggerationIterations = orDefault(o.ExaggerationIterations,
		DefaultExaggerationIterations)
	o.LearningRate = orDefault(o.LearningRate,
		max(DefaultLearningRate, float64(n)/o.EarlyExaggeration))
	o.Workers = orDefault(o.Workers, defaultWorkers())

	o.Perplexity = min(o.Perplexity, float64(n-1)/3)
	k := min(n-1, max(1, int(math.Floor(3*o.Perplexity))))
	return tsneConfig{TSNEOptions: o, neighbours: k}, nil
}

func (o TSNEOptions) check() error {
	switch {
	case o.Dims != 0 && o.Dims != 2 && o.Dims != 3:
		return fmt.Errorf("%w: t-SNE to %d dimensions; use 2 or 3", ErrUnsupported, o.Dims)
	case o.Perplexity < 0 || math.IsNaN(o.Perplexity):
		return fmt.Errorf("%w: perplexity %v; use a positive value or 0 for %d",
			ErrInvalidInput, o.Perplexity, DefaultPerplexity)
	case o.Theta < 0 || o.Theta > 1 || math.IsNaN(o.Theta):
		return fmt.Errorf("%w: theta %v; use a value in (0, 1] or Exact",
			ErrInvalidInput, o.Theta)
	case o.Iterations < 0 || o.ExaggerationIterations < 0 || o.Workers < 0:
		return fmt.Errorf("%w: negative iteration or worker count", ErrInvalidInput)
	case o.EarlyExaggeration < 0 || o.LearningRate < 0:
		return fmt.Errorf("%w: negative exaggeration %v or learning rate %v",
			ErrInvalidInput, o.EarlyExaggeration, o.LearningRate)
	case o.Init != InitRandom && o.Init != InitPCA:
		return fmt.Errorf("%w: initialisation %d", ErrUnsupported, o.Init)
	}
	return nil
}

func orDefault[T int | float64](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}
