package cluster

import (
	"math"
	"time"
)

// starveCheckInterval is the number of observed frames between two checks
// for a starved cluster. Checking on a fixed frame count keeps the cost per
// frame at about K/starveCheckInterval weight evaluations, and makes a
// restored model check on the same frames as the original.
const starveCheckInterval = 128

// splitStep divides the offset of a split cluster's far vector from its
// centroid to give the offset of each of the two new centroids, so each
// moves a quarter of the far distance.
const splitStep = 4

// decayedWeight returns c's weight decayed for the frames observed since a
// frame last joined it. With K clusters sharing a stream, K·HalfLife frames
// of the stream carry about HalfLife frames of each cluster, so the weight
// halves every K·HalfLife frames without a join.
func (m *Model) decayedWeight(c ClusterState) float64 {
	idle := float64(m.observed - c.Joined)
	return c.Weight * math.Exp2(-idle/(float64(m.cfg.K)*m.cfg.HalfLife))
}

// reseedStarved moves a starved cluster, every starveCheckInterval frames.
// A cluster is starved when its decayed weight is below Config.Starved
// times the mean decayed weight. The starved cluster is merged into its
// nearest cluster, which keeps its id. Then the widest cluster, the one
// with the largest estimated sum of squared distances, is split in two
// along the direction of its far vector (see split). Lineage records the
// merge and the split. Nothing changes when no other cluster has a far
// vector to split towards.
func (m *Model) reseedStarved(t time.Time, frame uint64) {
	if m.cfg.Starved < 0 || m.observed%starveCheckInterval != 0 || len(m.clusters) < 2 {
		return
	}
	starved := m.starvedCluster()
	if starved < 0 {
		return
	}
	widest := m.widestCluster(starved)
	if widest < 0 {
		return
	}

	widestID := m.clusters[widest].ID
	m.clusters[starved].Weight = m.decayedWeight(m.clusters[starved])
	m.merge(m.nearestOther(starved), starved, t, frame)
	m.split(m.indexOf(widestID), t, frame)
}

// starvedCluster returns the index of the cluster with the lowest decayed
// weight when that weight is below Starved times the mean, or -1.
func (m *Model) starvedCluster() int {
	lowest, lowestWeight, total := -1, math.Inf(1), 0.0
	for i, c := range m.clusters {
		w := m.decayedWeight(c)
		total += w
		if w < lowestWeight {
			lowest, lowestWeight = i, w
		}
	}
	mean := total / float64(len(m.clusters))
	if lowestWeight < m.cfg.Starved*mean {
		return lowest
	}
	return -1
}

// widestCluster returns the index of the cluster other than skip with the
// largest decayed weight times squared radius, an estimate of its sum of
// squared distances, among those with a far vector, or -1.
func (m *Model) widestCluster(skip int) int {
	widest, widestCost := -1, 0.0
	for i, c := range m.clusters {
		if i == skip || len(c.Far) == 0 || c.FarDistance == 0 {
			continue
		}
		cost := m.decayedWeight(c) * c.Radius * c.Radius
		if widest < 0 || cost > widestCost {
			widest, widestCost = i, cost
		}
	}
	return widest
}

// nearestOther returns the index of the centroid nearest to centroid i.
func (m *Model) nearestOther(i int) int {
	nearest, best := -1, math.Inf(1)
	for j, c := range m.clusters {
		if j == i {
			continue
		}
		if d := distance(m.cfg.Metric, m.clusters[i].Centroid, c.Centroid); d < best {
			nearest, best = j, d
		}
	}
	return nearest
}

func (m *Model) indexOf(id int) int {
	for i, c := range m.clusters {
		if c.ID == id {
			return i
		}
	}
	return -1
}

// split moves centroid i and a new cluster with a new id apart along the
// direction of i's far vector f, to c - (f-c)/splitStep and
// c + (f-c)/splitStep. The two divide the cluster's vectors by the
// hyperplane through c normal to f - c. So each keeps a share of the frames
// even when the cluster has no second mode, and their running means then
// move to the two halves. Both get half of cluster i's weight and its
// radius, and neither has a far vector until a frame joins it. The new
// cluster has no frames yet, so its Count is 0.
func (m *Model) split(i int, t time.Time, frame uint64) {
	old := &m.clusters[i]
	centroid := make([]float32, len(old.Centroid))
	for j, v := range old.Centroid {
		step := (old.Far[j] - v) / splitStep
		centroid[j] = v + step
		old.Centroid[j] = v - step
	}
	old.Weight /= 2
	old.Far, old.FarDistance = nil, 0

	c := ClusterState{
		ID:       m.nextID,
		Centroid: centroid,
		Weight:   old.Weight,
		Radius:   old.Radius,
		Joined:   m.observed,
	}
	m.nextID++
	m.record(LineageEvent{Time: t, Frame: frame, Kind: LineageSplit, From: []int{old.ID},
		Into: c.ID})
	m.clusters = append(m.clusters, c)
}
