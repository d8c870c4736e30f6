package cluster

import (
	"fmt"
	"time"
)

// Assignment is the cluster a vector belongs to and its distance to that
// cluster's centroid.
type Assignment struct {
	// Cluster is the cluster id, or -1 while the model is still seeding.
	Cluster int

	// Distance is measured with the model's metric before the centroid moves.
	// It is 0 while Cluster is -1 and for a vector that starts a new cluster.
	Distance float64
}

// Model is an online k-means model. It is not safe for concurrent use.
type Model struct {
	cfg      Config
	dims     int
	decay    float64
	observed uint64
	pending  []PendingFrame
	clusters []ClusterState
	nextID   int
	lineage  []LineageEvent
}

// New returns an unseeded model for vectors of dims elements.
func New(cfg Config, dims int) (*Model, error) {
	resolved, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if dims <= 0 {
		return nil, fmt.Errorf("%w: dims is %d, want 1 or more", ErrInvalidConfig, dims)
	}

	m := &Model{cfg: resolved, dims: dims, decay: resolved.decay()}
	return m, nil
}

// Config returns the model's configuration with defaults filled in.
func (m *Model) Config() Config { return m.cfg }

// Dims returns the number of elements in each vector.
func (m *Model) Dims() int { return m.dims }

// Observed returns the number of vectors accepted by Observe.
func (m *Model) Observed() uint64 { return m.observed }

// Seeded reports whether the model has created its clusters.
func (m *Model) Seeded() bool { return len(m.clusters) > 0 }

// Observe assigns vec, seen at time t in frame frame, to a cluster and
// updates that cluster.
//
// Until SeedFrames vectors have been observed, Observe stores a copy of vec
// and returns Cluster -1. The vector that fills the buffer triggers seeding,
// and Observe returns its cluster.
//
// After seeding, vec joins the nearest cluster, whose weight w and centroid c
// are updated as
//
//	w ← w·2^(-1/HalfLife) + 1
//	c ← c + (vec - c)/w
//
// so that a frame's share of the centroid halves after HalfLife more frames
// join the same cluster. A steadily fed cluster's weight approaches
// 1/(1 - 2^(-1/HalfLife)), about 1.44·HalfLife.
//
// Each cluster's radius, the running mean of the distances of the vectors
// it absorbed, is updated with the same weight w.
//
// If seeding found fewer than K distinct vectors, a later vector at a
// non-zero distance from every centroid starts a new cluster, until K
// clusters exist. With K clusters, a vector that is novel under
// Config.Novelty merges the two closest clusters and starts a new cluster
// with a new id; Lineage records both steps.
//
// Observe returns an error wrapping ErrDimension or ErrInvalidVector, and
// leaves the model unchanged, when vec is rejected.
func (m *Model) Observe(vec []float32, t time.Time, frame uint64) (Assignment, error) {
	if err := checkVector(vec, m.dims, m.cfg.Metric); err != nil {
		return Assignment{}, err
	}
	m.observed++

	if m.Seeded() {
		return m.update(vec, t, frame), nil
	}

	stored := append([]float32(nil), vec...)
	m.pending = append(m.pending, PendingFrame{Vector: stored, Time: t, Frame: frame})
	if len(m.pending) < m.cfg.SeedFrames {
		return Assignment{Cluster: -1}, nil
	}
	return m.seed(), nil
}

// Nearest returns the cluster nearest to vec without changing the model.
// While the model is seeding it returns Cluster -1 and Distance 0.
func (m *Model) Nearest(vec []float32) (Assignment, error) {
	if err := checkVector(vec, m.dims, m.cfg.Metric); err != nil {
		return Assignment{}, err
	}
	if !m.Seeded() {
		return Assignment{Cluster: -1}, nil
	}
	i, d := m.nearest(vec)
	return Assignment{Cluster: m.clusters[i].ID, Distance: d}, nil
}

// nearest returns the index of the cluster nearest to vec and its distance,
// preferring the lower index on ties.
func (m *Model) nearest(vec []float32) (int, float64) {
	best, bestDistance := -1, 0.0
	for i := range m.clusters {
		d := distance(m.cfg.Metric, vec, m.clusters[i].Centroid)
		if best < 0 || d < bestDistance {
			best, bestDistance = i, d
		}
	}
	return best, bestDistance
}

// update moves the nearest centroid towards vec, or starts a new cluster at
// vec while fewer than K clusters exist and vec matches no centroid, or
// re-seeds when vec is novel.
func (m *Model) update(vec []float32, t time.Time, frame uint64) Assignment {
	i, d := m.nearest(vec)
	if len(m.clusters) < m.cfg.K && d > 0 {
		return m.spawn(vec, t, frame)
	}
	if m.novel(i, d) {
		m.mergeClosest(t, frame)
		return m.spawn(vec, t, frame)
	}

	c := &m.clusters[i]
	c.Weight = c.Weight*m.decay + 1
	for j, v := range vec {
		old := float64(c.Centroid[j])
		c.Centroid[j] = float32(old + (float64(v)-old)/c.Weight)
	}
	c.Radius += (spread(m.cfg.Metric, d) - c.Radius) / c.Weight
	m.account(c, t, frame)
	return Assignment{Cluster: c.ID, Distance: d}
}

// account records a frame in c's count, time range and exemplars.
func (m *Model) account(c *ClusterState, t time.Time, frame uint64) {
	if c.Count == 0 || t.Before(c.FirstSeen) {
		c.FirstSeen = t
	}
	if c.Count == 0 || t.After(c.LastSeen) {
		c.LastSeen = t
	}
	c.Count++

	if len(c.Exemplars) == m.cfg.Exemplars {
		copy(c.Exemplars, c.Exemplars[1:])
		c.Exemplars = c.Exemplars[:len(c.Exemplars)-1]
	}
	c.Exemplars = append(c.Exemplars, frame)
}
