package cluster

import (
	"math"
	"slices"
	"time"
)

// novel reports whether a vector at distance d from cluster i should start a
// new cluster: d exceeds Novelty times the cluster's radius and also the
// distance between the two closest centroids. The second bound is the floor
// for clusters with little or no spread yet. It also keeps an outlier from
// replacing two clusters that are farther apart than it is from its own.
func (m *Model) novel(i int, d float64) bool {
	if !m.cfg.reseeds() || len(m.clusters) < 2 {
		return false
	}
	if spread(m.cfg.Metric, d) <= m.cfg.Novelty*m.clusters[i].Radius {
		return false
	}
	_, _, closest := m.closestPair()
	return d > closest
}

// closestPair returns the indices of the two closest centroids, lower index
// first, and their distance.
func (m *Model) closestPair() (int, int, float64) {
	a, b, best := -1, -1, math.Inf(1)
	for i := range m.clusters {
		for j := i + 1; j < len(m.clusters); j++ {
			d := distance(m.cfg.Metric, m.clusters[i].Centroid, m.clusters[j].Centroid)
			if d < best {
				a, b, best = i, j, d
			}
		}
	}
	return a, b, best
}

// mergeClosest merges the two closest clusters into the heavier one, or the
// one with the lower id when their weights are equal, and removes the other.
func (m *Model) mergeClosest(t time.Time, frame uint64) {
	keep, drop, _ := m.closestPair()
	if m.clusters[drop].Weight > m.clusters[keep].Weight {
		keep, drop = drop, keep
	}
	m.merge(keep, drop, t, frame)
}

// merge folds cluster drop into cluster keep, records the merge and
// removes drop.
func (m *Model) merge(keep, drop int, t time.Time, frame uint64) {
	kept, dropped := &m.clusters[keep], m.clusters[drop]
	m.record(LineageEvent{
		Time: t, Frame: frame, Kind: LineageMerge,
		From: []int{kept.ID, dropped.ID}, Into: kept.ID,
	})
	m.mergeInto(kept, dropped)
	m.clusters = slices.Delete(m.clusters, drop, drop+1)
}

// mergeInto folds cluster b into a. The centroid is the weighted mean of
// both. The radius is the weighted mean of sqrt(r² + δ²), where δ is each
// centroid's distance from the merged centroid, which estimates the distance
// of each side's vectors from the merged centroid.
func (m *Model) mergeInto(a *ClusterState, b ClusterState) {
	total := a.Weight + b.Weight
	merged := make([]float32, len(a.Centroid))
	for j := range merged {
		sum := a.Weight*float64(a.Centroid[j]) + b.Weight*float64(b.Centroid[j])
		merged[j] = float32(sum / total)
	}
	if total == 0 {
		copy(merged, a.Centroid)
	}

	offsetA := spread(m.cfg.Metric, distance(m.cfg.Metric, a.Centroid, merged))
	offsetB := spread(m.cfg.Metric, distance(m.cfg.Metric, b.Centroid, merged))
	spreadA := math.Hypot(a.Radius, offsetA)
	spreadB := math.Hypot(b.Radius, offsetB)
	if total > 0 {
		a.Radius = (a.Weight*spreadA + b.Weight*spreadB) / total
	}
	a.Centroid = merged
	a.Weight = total
	if b.FarDistance > a.FarDistance {
		a.Far, a.FarDistance = b.Far, b.FarDistance
	}
	m.mergeAccounts(a, b)
}

// mergeAccounts combines counts, time ranges and exemplars. The exemplars
// kept are the highest frame ids of both clusters, in ascending order.
func (m *Model) mergeAccounts(a *ClusterState, b ClusterState) {
	if a.Count == 0 || (b.Count > 0 && b.FirstSeen.Before(a.FirstSeen)) {
		a.FirstSeen = b.FirstSeen
	}
	if a.Count == 0 || (b.Count > 0 && b.LastSeen.After(a.LastSeen)) {
		a.LastSeen = b.LastSeen
	}
	a.Count += b.Count
	a.Joined = max(a.Joined, b.Joined)

	exemplars := append(slices.Clone(a.Exemplars), b.Exemplars...)
	slices.Sort(exemplars)
	if extra := len(exemplars) - m.cfg.Exemplars; extra > 0 {
		exemplars = exemplars[extra:]
	}
	a.Exemplars = exemplars
}

// spawn starts a cluster with a new id at vec and returns vec's assignment
// to it. The new cluster's radius starts at the weighted mean radius of the
// existing clusters, a prior that the running mean replaces as vectors join.
func (m *Model) spawn(vec []float32, t time.Time, frame uint64) Assignment {
	c := ClusterState{
		ID:       m.nextID,
		Centroid: append([]float32(nil), vec...),
		Weight:   1,
		Radius:   m.meanRadius(),
	}
	m.nextID++
	m.account(&c, t, frame)
	m.clusters = append(m.clusters, c)
	m.record(LineageEvent{Time: t, Frame: frame, Kind: LineageSpawn, Into: c.ID})
	return Assignment{Cluster: c.ID}
}

// meanRadius returns the weighted mean radius of the clusters, or 0 when
// they have no weight.
func (m *Model) meanRadius() float64 {
	var sum, weight float64
	for _, c := range m.clusters {
		sum += c.Weight * c.Radius
		weight += c.Weight
	}
	if weight == 0 {
		return 0
	}
	return sum / weight
}
