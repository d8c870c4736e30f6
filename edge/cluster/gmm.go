package cluster

import (
	"fmt"
	"math"
)

// Defaults that replace zero GMMConfig fields. MaxIter, Tolerance and
// RegCovar follow scikit-learn 1.2's GaussianMixture.
const (
	DefaultGMMNInit   = 5
	DefaultGMMMaxIter = 100
	DefaultGMMTol     = 1e-3
	DefaultRegCovar   = 1e-6
)

// GMMConfig sets up GMM. The zero value is a valid configuration: each zero
// field means the default documented on it.
type GMMConfig struct {
	// K is the number of mixture components. 0 means DefaultK.
	K int

	// NInit is the number of EM runs, each started from the clusters of
	// one k-means++ and Lloyd run with its own seed. GMM keeps the run with
	// the highest log-likelihood. 0 means DefaultGMMNInit.
	NInit int

	// MaxIter bounds the EM iterations of each run. 0 means
	// DefaultGMMMaxIter.
	MaxIter int

	// Tolerance stops a run once the mean log-likelihood per point rises
	// by less than Tolerance in one iteration. 0 means DefaultGMMTol.
	Tolerance float64

	// RegCovar is added to the diagonal of every covariance matrix, so
	// that a component on collinear points keeps a positive definite
	// covariance. 0 means DefaultRegCovar.
	RegCovar float64

	// Seed seeds the k-means starts. 0 means DefaultSeed.
	Seed int64
}

// GMMResult is the outcome of GMM.
type GMMResult struct {
	Weights     []float64     // mixing weight of each component, summing to 1
	Means       [][]float64   // mean of each component
	Covariances [][][]float64 // full covariance matrix of each component

	// Labels contains the component of highest posterior probability for
	// each point.
	Labels []int

	// LogLikelihood is the mean log-likelihood per point of the kept run.
	LogLikelihood float64

	// History contains the mean log-likelihood per point after each EM
	// iteration of the kept run. EM never lowers it, apart from rounding
	// and the small RegCovar term.
	History []float64

	Iterations int  // EM iterations of the kept run
	Converged  bool // true when Tolerance stopped the kept run
}

func (c GMMConfig) withDefaults() (GMMConfig, error) {
	switch {
	case c.K < 0 || c.NInit < 0 || c.MaxIter < 0:
		return c, fmt.Errorf("%w: K, NInit and MaxIter are %d, %d and %d, want 0 or more",
			ErrInvalidConfig, c.K, c.NInit, c.MaxIter)
	case !(c.Tolerance >= 0) || math.IsInf(c.Tolerance, 0) || !(c.RegCovar >= 0) ||
		math.IsInf(c.RegCovar, 0):
		return c, fmt.Errorf("%w: Tolerance %v and RegCovar %v, want finite values "+
			"of 0 or more", ErrInvalidConfig, c.Tolerance, c.RegCovar)
	}
	c.K = cmpOr(c.K, DefaultK)
	c.NInit = cmpOr(c.NInit, DefaultGMMNInit)
	c.MaxIter = cmpOr(c.MaxIter, DefaultGMMMaxIter)
	c.Tolerance = cmpOr(c.Tolerance, DefaultGMMTol)
	c.RegCovar = cmpOr(c.RegCovar, DefaultRegCovar)
	c.Seed = cmpOr(c.Seed, DefaultSeed)
	return c, nil
}

// GMM fits a Gaussian mixture with full covariance matrices to points by
// expectation maximisation. Every point must have the same length and
// finite values, and there must be at least K points. Each of the NInit
// runs starts from the clusters of a k-means run: their sizes, means and
// covariances. The result is deterministic for a given Seed.
func GMM(points [][]float64, cfg GMMConfig) (GMMResult, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return GMMResult{}, err
	}
	points32, err := checkGMMPoints(points, cfg.K)
	if err != nil {
		return GMMResult{}, err
	}

	var best GMMResult
	for run := range cfg.NInit {
		km, err := KMeans(points32, BatchConfig{K: cfg.K, NInit: 1, Seed: cfg.Seed + int64(run)})
		if err != nil {
			return GMMResult{}, fmt.Errorf("cluster: k-means start of GMM: %w", err)
		}
		res := emRun(points, km.Labels, cfg)
		if run == 0 || res.LogLikelihood > best.LogLikelihood {
			best = res
		}
	}
	return best, nil
}

// checkGMMPoints validates points and returns them as float32 for KMeans.
func checkGMMPoints(points [][]float64, k int) ([][]float32, error) {
	out := make([][]float32, len(points))
	for i, p := range points {
		out[i] = make([]float32, len(p))
		for j, v := range p {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%w: point %d has the value %v", ErrInvalidVector, i, v)
			}
			out[i][j] = float32(v)
		}
	}
	if err := checkPoints(out, k); err != nil {
		return nil, err
	}
	return out, nil
}

// emRun runs EM from the hard assignment labels until the mean
// log-likelihood gains less than cfg.Tolerance or cfg.MaxIter iterations.
func emRun(points [][]float64, labels []int, cfg GMMConfig) GMMResult {
	resp := hardResponsibilities(labels, cfg.K)
	mix := mStep(points, resp, cfg.RegCovar)
	var res GMMResult
	prev := math.Inf(-1)
	for res.Iterations < cfg.MaxIter {
		ll := eStep(points, mix, resp)
		res.History = append(res.History, ll)
		res.Iterations++
		if ll-prev < cfg.Tolerance {
			res.Converged = true
			break
		}
		prev = ll
		mix = mStep(points, resp, cfg.RegCovar)
	}
	res.LogLikelihood = eStep(points, mix, resp)
	res.Weights, res.Means, res.Covariances = mix.weights, mix.means, mix.covariances
	res.Labels = argmaxRows(resp)
	return res
}

func hardResponsibilities(labels []int, k int) [][]float64 {
	resp := make([][]float64, len(labels))
	for i, l := range labels {
		resp[i] = make([]float64, k)
		resp[i][l] = 1
	}
	return resp
}

func argmaxRows(rows [][]float64) []int {
	out := make([]int, len(rows))
	for i, r := range rows {
		for j, v := range r {
			if v > r[out[i]] {
				out[i] = j
			}
		}
	}
	return out
}
