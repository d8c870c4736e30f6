package cluster

import (
	"fmt"
	"math"
	"time"
)

// StateVersion is the State.Version written by Snapshot and read by Restore.
const StateVersion = 1

// State is the complete state of a Model as plain data, for persistence.
type State struct {
	// Version is StateVersion when written by this package.
	Version  int
	Dims     int
	Metric   Metric
	Observed uint64

	// Pending contains the buffered frames of a model that is still seeding.
	// It is empty once Clusters is not.
	Pending []PendingFrame

	// Clusters is ordered by ID, which runs from 0 to len(Clusters)-1.
	Clusters []ClusterState
}

// PendingFrame is a frame buffered for seeding.
type PendingFrame struct {
	Vector []float32
	Time   time.Time
	Frame  uint64
}

// ClusterState is one cluster of a State.
type ClusterState struct {
	ID       int
	Centroid []float32

	// Count is the number of frames assigned to the cluster.
	Count uint64

	// Weight is the decayed frame count used by the running-mean update.
	Weight float64

	// FirstSeen and LastSeen are the earliest and latest frame times.
	FirstSeen, LastSeen time.Time

	// Exemplars contains the ids of the most recent frames, oldest first.
	Exemplars []uint64
}

// Snapshot returns a deep copy of the model's state.
func (m *Model) Snapshot() State {
	return State{
		Version:  StateVersion,
		Dims:     m.dims,
		Metric:   m.cfg.Metric,
		Observed: m.observed,
		Pending:  copyPending(m.pending),
		Clusters: copyClusters(m.clusters),
	}
}

func copyPending(frames []PendingFrame) []PendingFrame {
	var out []PendingFrame
	for _, p := range frames {
		p.Vector = append([]float32(nil), p.Vector...)
		out = append(out, p)
	}
	return out
}

func copyClusters(clusters []ClusterState) []ClusterState {
	var out []ClusterState
	for _, c := range clusters {
		c.Centroid = append([]float32(nil), c.Centroid...)
		c.Exemplars = append([]uint64(nil), c.Exemplars...)
		out = append(out, c)
	}
	return out
}

// Restore returns a model that continues from s under cfg, producing the same
// results as the model that s was taken from. Restore copies s.
//
// Restore returns an error wrapping ErrUnsupportedVersion for a state from
// another StateVersion, ErrInvalidConfig for an invalid cfg, and
// ErrInvalidState when s is malformed or does not fit cfg: another metric,
// more clusters than K, or at least SeedFrames pending frames. Exemplar lists
// longer than cfg.Exemplars keep their most recent ids.
func Restore(cfg Config, s State) (*Model, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	m, err := New(cfg, s.Dims)
	if err != nil {
		return nil, err
	}
	if err := m.checkFits(s); err != nil {
		return nil, err
	}

	m.observed = s.Observed
	m.pending = copyPending(s.Pending)
	m.clusters = copyClusters(s.Clusters)
	m.trimExemplars()
	return m, nil
}

func (m *Model) checkFits(s State) error {
	switch {
	case s.Metric != m.cfg.Metric:
		return fmt.Errorf("%w: state uses the %v metric, config uses %v",
			ErrInvalidState, s.Metric, m.cfg.Metric)
	case len(s.Clusters) > m.cfg.K:
		return fmt.Errorf("%w: state has %d clusters, config allows K = %d",
			ErrInvalidState, len(s.Clusters), m.cfg.K)
	case len(s.Pending) >= m.cfg.SeedFrames:
		return fmt.Errorf("%w: state has %d pending frames, config seeds at %d",
			ErrInvalidState, len(s.Pending), m.cfg.SeedFrames)
	}
	return nil
}

// trimExemplars keeps the most recent Exemplars ids of each cluster.
func (m *Model) trimExemplars() {
	for i := range m.clusters {
		c := &m.clusters[i]
		if extra := len(c.Exemplars) - m.cfg.Exemplars; extra > 0 {
			c.Exemplars = c.Exemplars[extra:]
		}
	}
}

// Validate checks that s is internally consistent, independent of any Config.
// It returns an error wrapping ErrUnsupportedVersion or ErrInvalidState.
func (s State) Validate() error {
	if s.Version != StateVersion {
		return fmt.Errorf("%w: state version is %d, this package reads version %d",
			ErrUnsupportedVersion, s.Version, StateVersion)
	}
	if s.Dims <= 0 {
		return fmt.Errorf("%w: Dims is %d, want 1 or more", ErrInvalidState, s.Dims)
	}
	if s.Metric != Euclidean && s.Metric != Cosine {
		return fmt.Errorf("%w: unknown metric %v", ErrInvalidState, s.Metric)
	}
	if len(s.Pending) > 0 && len(s.Clusters) > 0 {
		return fmt.Errorf("%w: state has both %d pending frames and %d clusters",
			ErrInvalidState, len(s.Pending), len(s.Clusters))
	}

	if err := s.validatePending(); err != nil {
		return err
	}
	return s.validateClusters()
}

func (s State) validatePending() error {
	for i, p := range s.Pending {
		if err := checkVector(p.Vector, s.Dims, s.Metric); err != nil {
			return fmt.Errorf("%w: pending frame %d: %w", ErrInvalidState, i, err)
		}
	}
	return nil
}

func (s State) validateClusters() error {
	total := uint64(len(s.Pending))
	for i, c := range s.Clusters {
		if err := c.validate(i, s.Dims); err != nil {
			return err
		}
		total += c.Count
	}

	if total != s.Observed {
		return fmt.Errorf("%w: Observed is %d but clusters and pending frames account for %d",
			ErrInvalidState, s.Observed, total)
	}
	return nil
}

func (c ClusterState) validate(index, dims int) error {
	if c.ID != index {
		return fmt.Errorf("%w: cluster at index %d has ID %d", ErrInvalidState, index, c.ID)
	}
	if len(c.Centroid) != dims {
		return fmt.Errorf("%w: cluster %d centroid has %d elements, state has %d dimensions",
			ErrInvalidState, c.ID, len(c.Centroid), dims)
	}
	for j, v := range c.Centroid {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("%w: cluster %d centroid element %d is %v",
				ErrInvalidState, c.ID, j, v)
		}
	}
	if c.Weight < 0 || math.IsNaN(c.Weight) || math.IsInf(c.Weight, 0) {
		return fmt.Errorf("%w: cluster %d weight is %v", ErrInvalidState, c.ID, c.Weight)
	}
	return nil
}
