package reduce

import (
	"fmt"
	"math"
)

// IncrementalStateVersion is the IncrementalState.Version written by
// Snapshot.
const IncrementalStateVersion = 1

// IncrementalState is the complete state of an Incremental as plain data,
// for persistence.
type IncrementalState struct {
	Version    int
	Dims       int
	Components int
	Amnesia    float64
	Count      uint64

	// Mean is the running mean of the input vectors, and Vectors the
	// unnormalised component estimates, of which there are fewer than
	// Components until Ready.
	Mean    []float64
	Vectors [][]float64
}

// Snapshot returns a deep copy of the estimator's state.
func (p *Incremental) Snapshot() IncrementalState {
	s := IncrementalState{
		Version: IncrementalStateVersion, Dims: p.dims, Components: p.cfg.Components,
		Amnesia: p.cfg.Amnesia, Count: p.n, Mean: append([]float64(nil), p.mean...),
	}
	for _, v := range p.vectors {
		s.Vectors = append(s.Vectors, append([]float64(nil), v...))
	}
	return s
}

// RestoreIncremental returns an estimator that continues from s exactly as
// the one it was taken from. It returns an error wrapping ErrUnsupported
// for another Version and ErrInvalidInput for a malformed state.
func RestoreIncremental(s IncrementalState) (*Incremental, error) {
	if s.Version != IncrementalStateVersion {
		return nil, fmt.Errorf("%w: PCA state version %d, this package reads %d",
			ErrUnsupported, s.Version, IncrementalStateVersion)
	}
	if err := s.validate(); err != nil {
		return nil, err
	}
	amnesia := s.Amnesia
	if amnesia == 0 {
		amnesia = -1 // a stored 0 is a plain average, not the default
	}
	p, err := NewIncremental(IncrementalConfig{Components: s.Components, Amnesia: amnesia},
		s.Dims)
	if err != nil {
		return nil, err
	}
	p.n = s.Count
	copy(p.mean, s.Mean)
	for _, v := range s.Vectors {
		p.vectors = append(p.vectors, append([]float64(nil), v...))
	}
	return p, nil
}

func (s IncrementalState) validate() error {
	switch {
	case s.Amnesia < 0:
		return fmt.Errorf("%w: PCA state amnesia is %v, want 0 or more", ErrInvalidInput,
			s.Amnesia)
	case len(s.Mean) != s.Dims:
		return fmt.Errorf("%w: PCA state mean has %d elements, want Dims = %d",
			ErrInvalidInput, len(s.Mean), s.Dims)
	case len(s.Vectors) > s.Components:
		return fmt.Errorf("%w: PCA state has %d component vectors, want at most %d",
			ErrInvalidInput, len(s.Vectors), s.Components)
	case s.Count > 0 && uint64(len(s.Vectors)) > s.Count-1:
		return fmt.Errorf("%w: PCA state has %d component vectors after %d vectors",
			ErrInvalidInput, len(s.Vectors), s.Count)
	}
	if err := checkFinite("mean", s.Mean, s.Dims); err != nil {
		return err
	}
	for i, v := range s.Vectors {
		if err := checkFinite(fmt.Sprintf("component %d", i), v, s.Dims); err != nil {
			return err
		}
	}
	return nil
}

func checkFinite(name string, v []float64, dims int) error {
	if len(v) != dims {
		return fmt.Errorf("%w: PCA state %s has %d elements, want %d", ErrInvalidInput, name,
			len(v), dims)
	}
	for j, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%w: PCA state %s element %d is %v", ErrInvalidInput, name, j, x)
		}
	}
	return nil
}
