package quality

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// z95 is the two-sided 95% quantile of the standard normal distribution.
const z95 = 1.959963984540054

// Estimate is a score estimated from a random sample of points, with a 95%
// confidence interval for the score over all points.
type Estimate struct {
	// Value is the mean of the sampled points' coefficients.
	Value float64

	// StdErr is the standard error of Value, including the finite
	// population correction for sampling without replacement. It is 0 when
	// every point was scored.
	StdErr float64

	// Low and High bound the 95% confidence interval Value ± 1.96·StdErr,
	// clipped to [-1, 1]. The interval relies on the normal approximation
	// of the sample mean, which is close for samples of 30 points or more.
	Low, High float64

	// Sample is the number of points scored and Points the number of
	// points in the set.
	Sample, Points int
}

// SampledSilhouette estimates the overall silhouette coefficient from
// sample points drawn uniformly without replacement with the given seed.
// Each drawn point is scored exactly against all n points, so the cost is
// O(sample·n) instead of O(n²). With sample ≥ n it scores every point and
// returns the exact value with StdErr 0.
//
// SampledSilhouette returns an error wrapping ErrInvalidInput for a sample
// below 2 or malformed input, and ErrTooFewClusters as Silhouette does.
func SampledSilhouette(points [][]float32, labels []int, sample int, seed uint64) (
	Estimate, error) {
	if sample < 2 {
		return Estimate{}, fmt.Errorf("%w: sample is %d, want 2 or more", ErrInvalidInput, sample)
	}
	l, err := prepare(points, labels)
	if err != nil {
		return Estimate{}, err
	}

	n := len(l.points)
	m := min(sample, n)
	rng := rand.New(rand.NewPCG(seed, 0x5117))
	drawn := rng.Perm(n)[:m]

	values := make([]float64, m)
	for s, i := range drawn {
		values[s] = l.coefficient(i, l.distancesFrom(i))
	}
	return estimate(values, n), nil
}

// estimate returns the mean of values, a sample drawn without replacement
// from a population of n, with its standard error and 95% interval.
func estimate(values []float64, n int) Estimate {
	m := float64(len(values))
	var mean float64
	for _, v := range values {
		mean += v
	}
	mean /= m

	var squares float64
	for _, v := range values {
		squares += (v - mean) * (v - mean)
	}
	variance := squares / (m - 1)
	correction := (float64(n) - m) / float64(max(n-1, 1))
	stdErr := math.Sqrt(variance / m * correction)

	return Estimate{
		Value:  mean,
		StdErr: stdErr,
		Low:    max(-1, mean-z95*stdErr),
		High:   min(1, mean+z95*stdErr),
		Sample: len(values),
		Points: n,
	}
}
