package cluster

import (
	"fmt"
	"math"
)

// Metric is the distance between a vector and a centroid.
type Metric int

const (
	// Euclidean is the L2 distance. It is the zero value.
	Euclidean Metric = iota

	// Cosine is 1 - cos θ, where θ is the angle between the two vectors. It
	// lies in [0, 2] and ignores vector length.
	Cosine
)

// String returns "euclidean", "cosine", or "Metric(n)" for unknown values.
func (m Metric) String() string {
	switch m {
	case Euclidean:
		return "euclidean"
	case Cosine:
		return "cosine"
	}
	return fmt.Sprintf("Metric(%d)", int(m))
}

// Default values that replace zero Config fields.
const (
	DefaultK         = 8
	DefaultHalfLife  = 500
	DefaultExemplars = 4
	DefaultSeed      = 1

	// DefaultSeedRestarts is the Config.SeedRestarts used when the field
	// is 0. It was measured with `edgecluster eval` seed buffers of 500
	// frames and seeds 1 to 10. On scikit-learn's digits, 10 restarts
	// instead of 3 brought the mean streaming inertia from 1.0050 to
	// 1.0027 times that of batch k-means. On 10000 MNIST images the change
	// stayed within the spread between seeds.
	DefaultSeedRestarts = 10

	// DefaultNovelty is the Config.Novelty used when the field is 0. For a
	// Gaussian cluster in n dimensions, a vector lies beyond 2.5 times the
	// mean distance from the center with probability 0.7% for n = 2, 2e-4
	// for n = 4 and 2e-7 for n = 8 (chi distribution tails), so noise
	// rarely looks novel. In high dimensions a new group whose center is s
	// from a cluster's center sits about sqrt(s² + r²) from it, where r is
	// the radius, so it is detected once s exceeds about 2.3 r.
	DefaultNovelty = 2.5

	// DefaultStarved is the Config.Starved used when the field is 0. A
	// cluster re-seeded under it holds less than 1/50 of an average
	// cluster's recent frames, 0.25% of the stream at K = 8, so a scene
	// that shows up now and then keeps its cluster.
	DefaultStarved = 0.02

	// MinSeedFrames is the smallest default seed buffer; the default is
	// max(4*K, MinSeedFrames).
	MinSeedFrames = 32
)

// Config sets up a Model. The zero value is a valid configuration: each zero
// field means the default documented on it.
type Config struct {
	// K is the number of clusters. 0 means DefaultK.
	K int

	// Metric is the distance used for assignment. The zero value is Euclidean.
	Metric Metric

	// HalfLife is the number of frames assigned to a cluster after which an
	// earlier frame's weight in its centroid has halved. 0 means
	// DefaultHalfLife.
	HalfLife float64

	// SeedFrames is the number of frames buffered before seeding. 0 means
	// max(4*K, MinSeedFrames).
	SeedFrames int

	// Exemplars is the number of most recent frame ids kept per cluster. 0
	// means DefaultExemplars.
	Exemplars int

	// Seed seeds the random number generator used by k-means++. 0 means
	// DefaultSeed.
	Seed int64

	// SeedRestarts is the number of k-means++ and Lloyd runs on the seed
	// buffer. Seeding keeps the run with the lowest sum of squared
	// distances. 0 means DefaultSeedRestarts.
	SeedRestarts int

	// Novelty is the re-seeding threshold as a multiple of a cluster's
	// radius. After seeding, a vector farther than Novelty radii from its
	// nearest centroid, and farther than the two closest centroids are from
	// each other, makes the model merge those two clusters and start a new
	// cluster at the vector. 0 means DefaultNovelty, and a negative value
	// disables re-seeding.
	//
	// NOTE: with more clusters than real groups in 2 to 4 dimensions,
	// Gaussian tails still re-seed now and then. One measured run of 5000
	// frames from a single 2-d Gaussian blob with K = 8 merged 29 times.
	Novelty float64

	// Starved is the starvation threshold as a fraction of the mean decayed
	// weight of all clusters. After seeding, every starveCheckInterval
	// frames the model looks for a cluster whose decayed weight is below
	// Starved times the mean, merges it into its nearest cluster and splits
	// the widest cluster in two (see Model.Observe). 0 means DefaultStarved,
	// and a negative value disables the check.
	Starved float64
}

// withDefaults validates c and replaces its zero fields with defaults.
func (c Config) withDefaults() (Config, error) {
	if err := c.validate(); err != nil {
		return Config{}, err
	}

	if c.K == 0 {
		c.K = DefaultK
	}
	if c.HalfLife == 0 {
		c.HalfLife = DefaultHalfLife
	}
	if c.SeedFrames == 0 {
		c.SeedFrames = max(4*c.K, MinSeedFrames)
	}
	if c.Exemplars == 0 {
		c.Exemplars = DefaultExemplars
	}
	if c.Seed == 0 {
		c.Seed = DefaultSeed
	}
	if c.Novelty == 0 {
		c.Novelty = DefaultNovelty
	}
	if c.Starved == 0 {
		c.Starved = DefaultStarved
	}
	if c.SeedRestarts == 0 {
		c.SeedRestarts = DefaultSeedRestarts
	}
	return c, nil
}

func (c Config) validate() error {
	switch {
	case c.K < 0:
		return fmt.Errorf("%w: K is %d, want 0 or more", ErrInvalidConfig, c.K)
	case c.Metric != Euclidean && c.Metric != Cosine:
		return fmt.Errorf("%w: unknown metric %v", ErrInvalidConfig, c.Metric)
	case c.HalfLife < 0 || math.IsNaN(c.HalfLife) || math.IsInf(c.HalfLife, 0):
		return fmt.Errorf("%w: HalfLife is %v, want a finite value of 0 or more",
			ErrInvalidConfig, c.HalfLife)
	case c.SeedFrames < 0:
		return fmt.Errorf("%w: SeedFrames is %d, want 0 or more", ErrInvalidConfig, c.SeedFrames)
	case c.SeedRestarts < 0:
		return fmt.Errorf("%w: SeedRestarts is %d, want 0 or more", ErrInvalidConfig,
			c.SeedRestarts)
	case c.Exemplars < 0:
		return fmt.Errorf("%w: Exemplars is %d, want 0 or more", ErrInvalidConfig, c.Exemplars)
	case math.IsNaN(c.Novelty) || math.IsInf(c.Novelty, 0):
		return fmt.Errorf("%w: Novelty is %v, want a finite value", ErrInvalidConfig, c.Novelty)
	case math.IsNaN(c.Starved) || c.Starved >= 1:
		return fmt.Errorf("%w: Starved is %v, want a fraction below 1, or a negative value "+
			"to disable re-seeding of starved clusters", ErrInvalidConfig, c.Starved)
	}
	return nil
}

// reseeds reports whether the novelty rule is enabled.
func (c Config) reseeds() bool { return c.Novelty > 0 }

// decay returns the factor 2^(-1/HalfLife) that scales a cluster's weight
// each time a frame joins it.
func (c Config) decay() float64 {
	return math.Exp2(-1 / c.HalfLife)
}
