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
	case c.Exemplars < 0:
		return fmt.Errorf("%w: Exemplars is %d, want 0 or more", ErrInvalidConfig, c.Exemplars)
	}
	return nil
}

// decay returns the factor 2^(-1/HalfLife) that scales a cluster's weight
// each time a frame joins it.
func (c Config) decay() float64 {
	return math.Exp2(-1 / c.HalfLife)
}
