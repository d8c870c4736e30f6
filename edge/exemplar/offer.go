package exemplar

import (
	"slices"
	"time"

	"github.com/edgecluster/edgecluster/edge/store"
)

// Offer counts a frame of cluster at time t in the hourly counts and
// returns whether it becomes an exemplar. The caller makes the thumbnail
// only for a kept frame and passes it to Add before the next Offer.
func (s *Set) Offer(cluster int, t time.Time) Slot {
	s.Count(cluster, t)
	s.seen[cluster]++
	if s.cfg.BudgetBytes < 0 {
		return Slot{}
	}

	list := s.clusters[cluster]
	if s.mayGrow(cluster) {
		return Slot{Keep: true, cluster: cluster, replace: -1}
	}
	if len(list) == 0 {
		return Slot{}
	}
	j := s.rng.Uint64N(s.seen[cluster])
	if j >= uint64(len(list)) {
		return Slot{}
	}
	return Slot{Keep: true, cluster: cluster, replace: int(j)}
}

// mayGrow reports whether cluster may add an exemplar instead of replacing
// one of its own.
func (s *Set) mayGrow(cluster int) bool {
	n := len(s.clusters[cluster])
	if n >= s.cfg.PerCluster {
		return false
	}
	if s.bytes+s.meanSize() <= s.cfg.BudgetBytes {
		return true
	}
	return n+2 <= s.maxLen()
}

// meanSize estimates the size of the next exemplar from those held.
func (s *Set) meanSize() int64 {
	n := s.Len()
	if n == 0 {
		return 0
	}
	return s.bytes / int64(n)
}

func (s *Set) maxLen() int {
	n := 0
	for _, list := range s.clusters {
		n = max(n, len(list))
	}
	return n
}

// Add stores e in the slot that Offer returned for it, then evicts
// exemplars while the budget is exceeded.
func (s *Set) Add(slot Slot, e store.Exemplar) {
	if !slot.Keep {
		return
	}
	e.Cluster = slot.cluster
	list := s.clusters[e.Cluster]
	if slot.replace >= 0 && slot.replace < len(list) {
		s.remove(e.Cluster, slot.replace)
		list = s.clusters[e.Cluster]
	}
	i, _ := slices.BinarySearchFunc(list, e.Frame, byFrame)
	s.clusters[e.Cluster] = slices.Insert(list, i, e)
	s.bytes += Size(e)
	s.put[e.Key()] = e
	delete(s.deleted, e.Key())
	s.unsent[e.Key()] = true
	s.enforceBudget()
}

func byFrame(e store.Exemplar, frame uint64) int {
	switch {
	case e.Frame < frame:
		return -1
	case e.Frame > frame:
		return 1
	}
	return 0
}

// remove deletes the i-th exemplar of cluster and records the deletion.
func (s *Set) remove(cluster, i int) {
	list := s.clusters[cluster]
	e := list[i]
	s.bytes -= Size(e)
	list = slices.Delete(list, i, i+1)
	if len(list) == 0 {
		delete(s.clusters, cluster)
	} else {
		s.clusters[cluster] = list
	}
	delete(s.put, e.Key())
	delete(s.unsent, e.Key())
	s.deleted[e.Key()] = true
}

// enforceBudget evicts the oldest exemplar of the largest cluster while the
// total exceeds the budget.
func (s *Set) enforceBudget() {
	for s.bytes > max(s.cfg.BudgetBytes, 0) && s.Len() > 0 {
		s.remove(s.largest(), 0)
	}
}

// largest returns the cluster with the most exemplars, then the most bytes,
// then the lowest id.
func (s *Set) largest() int {
	best, bestLen, bestBytes := -1, 0, int64(0)
	for id, list := range s.clusters {
		n, b := len(list), listBytes(list)
		better := n > bestLen || (n == bestLen && (b > bestBytes ||
			(b == bestBytes && id < best)))
		if best < 0 || better {
			best, bestLen, bestBytes = id, n, b
		}
	}
	return best
}

func listBytes(list []store.Exemplar) int64 {
	var b int64
	for _, e := range list {
		b += Size(e)
	}
	return b
}
