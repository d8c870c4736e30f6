package cluster

import (
	"fmt"
	"math"
	"time"
)

// StateVersion is the State.Version written by Snapshot. Restore also reads
// version 1, which predates cluster radii, NextID and Lineage, and version
// 2, which predates ClusterState.Joined, Far and FarDistance.
const StateVersion = 3

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

	// Clusters is ordered by ascending ID. Version 1 ids run from 0 to
	// len(Clusters)-1, and later versions have gaps where merges retired ids.
	Clusters []ClusterState

	// NextID is the id of the next new cluster. It is greater than every id
	// in Clusters and Lineage, and 0 while the model is seeding.
	NextID int

	// Lineage contains the most recent lineage events, oldest first, up to
	// MaxLineage of them.
	Lineage []LineageEvent
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

	// Radius is the running mean, with the same weights as the centroid, of
	// the distances between absorbed vectors and the centroid before each
	// update. Under Cosine each distance d counts as sqrt(2d), the Euclidean
	// distance between the vectors scaled to unit length.
	Radius float64

	// FirstSeen and LastSeen are the earliest and latest frame times.
	FirstSeen, LastSeen time.Time

	// Exemplars contains the ids of the most recent frames, oldest first.
	Exemplars []uint64

	// Joined is the model's Observed count when a frame last joined the
	// cluster, or when the cluster was created. The decayed weight of a
	// cluster that no frame joins halves every K·HalfLife frames after it.
	Joined uint64 `json:",omitempty"`

	// Far is the absorbed vector with the largest distance from the
	// centroid, FarDistance, where that distance shrinks by the weight's
	// decay factor each time a frame joins. A split of the cluster places a
	// centroid towards Far. Far is empty until a vector at a non-zero
	// distance joins.
	Far         []float32 `json:",omitempty"`
	FarDistance float64   `json:",omitempty"`
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
		NextID:   m.nextID,
		Lineage:  copyLineage(m.lineage),
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
		c.Far = append([]float32(nil), c.Far...)
		out = append(out, c)
	}
	return out
}

// Restore returns a model that continues from s under cfg, producing the same
// results as the model that s was taken from. Restore copies s.
//
// A version 1 state gets NextID len(Clusters), an empty Lineage, and radii
// estimated by upgradeRadii. A version 1 or 2 state gets Joined equal to
// Observed for every cluster, so no cluster looks starved from the
// restore alone, and an empty Far.
//
// Restore returns an error wrapping ErrUnsupportedVersion for a state from
// another version, ErrInvalidConfig for an invalid cfg, and
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
	m.nextID = s.NextID
	m.lineage = copyLineage(s.Lineage)
	if s.Version == 1 {
		m.nextID = len(m.clusters)
		m.upgradeRadii()
	}
	if s.Version < 3 {
		m.upgradeJoined()
	}
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

// upgradeRadii sets each radius of a version 1 state, which did not record
// spread, to half the distance from its centroid to the nearest other
// centroid. That is the largest radius at which the clusters do not overlap.
// A sole cluster keeps radius 0, which the novelty rule never reads because
// merging needs two clusters.
//
// NOTE: this is an estimate from the centroid layout alone. It adapts as
// vectors join, at the pace of the running mean.
func (m *Model) upgradeRadii() {
	radii := make([]float64, len(m.clusters))
	for i, a := range m.clusters {
		nearest := math.Inf(1)
		for j, b := range m.clusters {
			if i != j {
				nearest = min(nearest, distance(m.cfg.Metric, a.Centroid, b.Centroid))
			}
		}
		if !math.IsInf(nearest, 1) {
			radii[i] = spread(m.cfg.Metric, nearest) / 2
		}
	}
	for i := range m.clusters {
		m.clusters[i].Radius = radii[i]
	}
}

// upgradeJoined treats every cluster of a state that predates Joined as
// joined by the latest frame.
func (m *Model) upgradeJoined() {
	for i := range m.clusters {
		m.clusters[i].Joined = m.observed
	}
}
