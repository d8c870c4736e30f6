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

	// norms caches |c|² of each centroid for the Euclidean search. It is
	// rebuilt when its length differs from clusters or stale is set.
	norms []float32
	stale bool

	// events counts recorded lineage events, so that ObserveBatch can tell
	// when clusters were added or removed.
	events uint64
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
		m.reseedStarved(t, frame)
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
//
// The search ranks centroids with float32 kernels and then measures the
// winner's distance in float64. Two centroids whose float32 scores tie, or
// differ by rounding alone, rank by index.
func (m *Model) nearest(vec []float32) (int, float64) {
	if len(m.clusters) == 0 {
		return -1, 0
	}

	norms := m.centroidNorms()
	best, bestScore := 0, m.score(dot(vec, m.clusters[0].Centroid), norms[0])
	i := 1
	for ; i+2 <= len(m.clusters); i += 2 {
		// Scoring centroids in pairs loads each element of vec once per pair.
		a, b := dot2(vec, m.clusters[i].Centroid, m.clusters[i+1].Centroid)
		if score := m.score(a, norms[i]); score < bestScore {
			best, bestScore = i, score
		}
		if score := m.score(b, norms[i+1]); score < bestScore {
			best, bestScore = i+1, score
		}
	}
	if i < len(m.clusters) {
		if m.score(dot(vec, m.clusters[i].Centroid), norms[i]) < bestScore {
			best = i
		}
	}
	if m.cfg.Metric == Euclidean {
		return best, euclidean32(vec, m.clusters[best].Centroid)
	}
	return best, distance(m.cfg.Metric, vec, m.clusters[best].Centroid)
}

// score ranks a centroid c with |c|² = norm and x·c = dot for a fixed
// vector x, lower being nearer. Under Euclidean it is |c|² - 2·x·c, which
// orders centroids as |x - c|² does. Under Cosine it is -x·c/|c|, which
// orders them as 1 - cos θ does, with a zero-length centroid counted as
// orthogonal.
func (m *Model) score(dot, norm float32) float32 {
	if m.cfg.Metric == Euclidean {
		return norm - 2*dot
	}
	if norm == 0 {
		return 0
	}
	return -dot / sqrt32(norm)
}

// centroidNorms returns |c|² of each centroid, rebuilding the cache after
// clusters were seeded, spawned, merged or restored.
func (m *Model) centroidNorms() []float32 {
	if m.stale || len(m.norms) != len(m.clusters) {
		m.norms = m.norms[:0]
		for _, c := range m.clusters {
			m.norms = append(m.norms, dot(c.Centroid, c.Centroid))
		}
		m.stale = false
	}
	return m.norms
}

// update moves the nearest centroid towards vec, or starts a new cluster at
// vec while fewer than K clusters exist and vec matches no centroid, or
// re-seeds when vec is novel.
func (m *Model) update(vec []float32, t time.Time, frame uint64) Assignment {
	i, d := m.nearest(vec)
	return m.updateNearest(i, d, vec, t, frame)
}

// updateNearest is update with vec's nearest cluster index i and distance d
// already known.
func (m *Model) updateNearest(i int, d float64, vec []float32, t time.Time,
	frame uint64) Assignment {
	if len(m.clusters) < m.cfg.K && d > 0 {
		return m.spawn(vec, t, frame)
	}
	if m.novel(i, d) {
		m.mergeClosest(t, frame)
		return m.spawn(vec, t, frame)
	}

	c := &m.clusters[i]
	c.Weight = c.Weight*m.decay + 1
	m.noteFar(c, vec, d)
	m.moveCentroid(i, vec, 1/c.Weight)
	c.Radius += (spread(m.cfg.Metric, d) - c.Radius) / c.Weight
	m.account(c, t, frame)
	return Assignment{Cluster: c.ID, Distance: d}
}

// moveCentroid moves centroid i towards vec by the given fraction of the
// difference, in float32, and refreshes its cached norm.
func (m *Model) moveCentroid(i int, vec []float32, fraction float64) {
	centroid := m.clusters[i].Centroid[:len(vec)]
	f := float32(fraction)
	var s0, s1, s2, s3 float32
	j := 0
	for ; j+4 <= len(vec); j += 4 {
		c0 := centroid[j] + (vec[j]-centroid[j])*f
		c1 := centroid[j+1] + (vec[j+1]-centroid[j+1])*f
		c2 := centroid[j+2] + (vec[j+2]-centroid[j+2])*f
		c3 := centroid[j+3] + (vec[j+3]-centroid[j+3])*f
		centroid[j], centroid[j+1], centroid[j+2], centroid[j+3] = c0, c1, c2, c3
		s0 += c0 * c0
		s1 += c1 * c1
		s2 += c2 * c2
		s3 += c3 * c3
	}
	for ; j < len(vec); j++ {
		centroid[j] += (vec[j] - centroid[j]) * f
		s0 += centroid[j] * centroid[j]
	}
	if len(m.norms) == len(m.clusters) {
		m.norms[i] = (s0 + s1) + (s2 + s3)
	}
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
	c.Joined = m.observed

	if len(c.Exemplars) == m.cfg.Exemplars {
		copy(c.Exemplars, c.Exemplars[1:])
		c.Exemplars = c.Exemplars[:len(c.Exemplars)-1]
	}
	c.Exemplars = append(c.Exemplars, frame)
}

// noteFar decays c's far distance and makes vec, at distance d from the
// centroid, the far vector when it lies farther.
func (m *Model) noteFar(c *ClusterState, vec []float32, d float64) {
	c.FarDistance *= m.decay
	if d > c.FarDistance {
		c.Far = append(c.Far[:0], vec...)
		c.FarDistance = d
	}
}
