package reduce

import (
	"fmt"
	"math"
)

// DefaultAmnesia is the IncrementalConfig.Amnesia used when the field is
// 0. The ccipca documentation of the R package onlinePCA (version 1.3.2)
// gives 2 to 4 as typical values. The lowest of them weighs recent vectors
// a little more than a plain mean does, so the estimates follow a slow
// change of scene and stay close to batch PCA on stationary data.
const DefaultAmnesia = 2

// IncrementalConfig sets up an Incremental PCA. The zero value is invalid
// because Components must be set.
type IncrementalConfig struct {
	// Components is the number of principal components to estimate, from 1
	// to the input dimension.
	Components int

	// Amnesia is the amnesic parameter l of CCIPCA: vector n enters each
	// estimate with weight (1+l)/n instead of 1/n, so older vectors fade.
	// 0 means DefaultAmnesia, and a negative value means a plain running
	// average (l = 0).
	Amnesia float64
}

// Incremental estimates the leading principal components of a stream of
// vectors with candid covariance-free incremental PCA (CCIPCA; J. Weng,
// Y. Zhang and W.-S. Hwang, "Candid Covariance-Free Incremental Principal
// Component Analysis", IEEE TPAMI 25(8), 2003). Each Update costs
// O(Components·dims) and keeps no covariance matrix, so it runs on a small
// device. It is not safe for concurrent use.
type Incremental struct {
	cfg  IncrementalConfig
	dims int

	// n is the number of vectors seen, mean their running mean, and
	// vectors[i] the unnormalised estimate of component i, whose length
	// estimates the component's variance.
	n       uint64
	mean    []float64
	vectors [][]float64

	residual []float64

	// basis caches the unit component vectors and centre the mean in
	// float32 for Transform. Update clears basis.
	basis  [][]float32
	centre []float32
}

// NewIncremental returns an empty estimator for vectors of dims elements.
// It returns an error wrapping ErrInvalidInput when cfg.Components is not
// between 1 and dims.
func NewIncremental(cfg IncrementalConfig, dims int) (*Incremental, error) {
	if dims < 1 || cfg.Components < 1 || cfg.Components > dims {
		return nil, fmt.Errorf("%w: %d components of %d dimensions, want 1 to %d components",
			ErrInvalidInput, cfg.Components, dims, dims)
	}
	if math.IsNaN(cfg.Amnesia) || math.IsInf(cfg.Amnesia, 0) {
		return nil, fmt.Errorf("%w: Amnesia is %v, want a finite value", ErrInvalidInput,
			cfg.Amnesia)
	}
	if cfg.Amnesia == 0 {
		cfg.Amnesia = DefaultAmnesia
	}
	cfg.Amnesia = max(cfg.Amnesia, 0)

	p := &Incremental{cfg: cfg, dims: dims, mean: make([]float64, dims),
		residual: make([]float64, dims)}
	return p, nil
}

// Components returns the number of components the estimator tracks.
func (p *Incremental) Components() int { return p.cfg.Components }

// Dims returns the number of elements of each input vector.
func (p *Incremental) Dims() int { return p.dims }

// Count returns the number of vectors passed to Update.
func (p *Incremental) Count() uint64 { return p.n }

// Ready reports whether every component has an estimate, which takes
// Components+1 vectors.
func (p *Incremental) Ready() bool { return len(p.vectors) == p.cfg.Components }

// Update folds vec into the mean and the component estimates. It returns
// an error wrapping ErrInvalidInput, and changes nothing, when vec has the
// wrong length or a NaN or infinite element.
//
// With u = vec - mean and amnesic parameter l, component i is updated as
//
//	v_i ← (n-1-l)/n · v_i + (1+l)/n · u (u·v_i)/|v_i|
//
// and u then loses its projection on v_i before component i+1 is updated,
// so that later components estimate the variance left over.
func (p *Incremental) Update(vec []float32) error {
	if err := p.check(vec); err != nil {
		return err
	}
	p.n++
	p.basis = nil
	n := float64(p.n)
	for j, v := range vec {
		p.mean[j] += (float64(v) - p.mean[j]) / n
		p.residual[j] = float64(v) - p.mean[j]
	}
	if p.n == 1 {
		return nil // the first vector only sets the mean
	}

	// The estimate counts from the second vector, the first with a residual.
	// The amnesic parameter grows in over the first steps so that the old
	// estimate never gets a negative weight.
	steps := n - 1
	amnesia := min(p.cfg.Amnesia, steps-1)
	keep := (steps - 1 - amnesia) / steps
	gain := (1 + amnesia) / steps
	for i := range p.cfg.Components {
		if i == len(p.vectors) {
			p.vectors = append(p.vectors, append([]float64(nil), p.residual...))
			return nil
		}
		p.updateComponent(p.vectors[i], keep, gain)
	}
	return nil
}

// updateComponent applies the CCIPCA step to v and deflates the residual.
func (p *Incremental) updateComponent(v []float64, keep, gain float64) {
	norm := math.Sqrt(dot64(v, v))
	if norm == 0 {
		return
	}
	projection := dot64(p.residual, v) / norm
	for j := range v {
		v[j] = keep*v[j] + gain*projection*p.residual[j]
	}

	norm = math.Sqrt(dot64(v, v))
	if norm == 0 {
		return
	}
	along := dot64(p.residual, v) / norm
	for j := range v {
		p.residual[j] -= along * v[j] / norm
	}
}

func (p *Incremental) check(vec []float32) error {
	if len(vec) != p.dims {
		return fmt.Errorf("%w: vector has %d elements, want %d", ErrInvalidInput, len(vec),
			p.dims)
	}
	for j, v := range vec {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("%w: element %d is %v; drop the vector", ErrInvalidInput, j, v)
		}
	}
	return nil
}

// Variances returns the variance estimate of each component, the length of
// its unnormalised vector. Components without an estimate yet have 0.
func (p *Incremental) Variances() []float64 {
	out := make([]float64, p.cfg.Components)
	for i, v := range p.vectors {
		out[i] = math.Sqrt(dot64(v, v))
	}
	return out
}

// Basis returns the unit component vectors, one row per component, in the
// order they were estimated. CCIPCA does not sort them, and usually they
// come out in decreasing order of variance. A component without an
// estimate yet is a zero row.
func (p *Incremental) Basis() [][]float64 {
	out := make([][]float64, p.cfg.Components)
	for i := range out {
		out[i] = make([]float64, p.dims)
		if i >= len(p.vectors) {
			continue
		}
		norm := math.Sqrt(dot64(p.vectors[i], p.vectors[i]))
		for j, v := range p.vectors[i] {
			if norm > 0 {
				out[i][j] = v / norm
			}
		}
	}
	return out
}

// Transform returns the coordinates of vec - mean on the unit component
// vectors, in float32. A component without an estimate yet gives 0. It
// returns an error wrapping ErrInvalidInput for a vector Update rejects.
func (p *Incremental) Transform(vec []float32) ([]float32, error) {
	if err := p.check(vec); err != nil {
		return nil, err
	}
	if p.basis == nil {
		p.cacheBasis()
	}

	centred := make([]float32, p.dims)
	for j, x := range vec {
		centred[j] = x - p.centre[j]
	}
	out := make([]float32, p.cfg.Components)
	for i, unit := range p.basis {
		var s float32
		for j, u := range unit {
			s += centred[j] * u
		}
		out[i] = s
	}
	return out, nil
}

// cacheBasis converts the unit component vectors and the mean to float32.
func (p *Incremental) cacheBasis() {
	p.basis = p.basis[:0]
	for _, row := range p.Basis() {
		unit := make([]float32, len(row))
		for j, v := range row {
			unit[j] = float32(v)
		}
		p.basis = append(p.basis, unit)
	}
	p.centre = make([]float32, p.dims)
	for j, v := range p.mean {
		p.centre[j] = float32(v)
	}
}

func dot64(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}
