package exemplar

import (
	"slices"
	"time"

	"github.com/edgecluster/edgecluster/edge/store"
)

// Changes prunes hourly counts older than the retention before now and
// returns what changed since the last Committed, for
// store.Store.CommitChanges.
func (s *Set) Changes(now time.Time) store.Changes {
	s.prune(now)
	var c store.Changes
	for _, e := range s.put {
		c.Put = append(c.Put, e)
	}
	for k := range s.deleted {
		c.Delete = append(c.Delete, k)
	}
	if len(s.hourDirty) > 0 {
		c.Hourly = map[int]store.Hourly{}
	}
	for id := range s.hourDirty {
		c.Hourly[id] = s.Hourly(id)
	}
	return c
}

// Committed clears the changes that Changes returned, after the commit
// that wrote them succeeded.
func (s *Set) Committed() { s.clearChanges() }

// Frames returns the frame ids of the exemplars of cluster in ascending
// order.
func (s *Set) Frames(cluster int) []uint64 {
	var out []uint64
	for _, e := range s.clusters[cluster] {
		out = append(out, e.Frame)
	}
	return out
}

// All returns every exemplar held, ordered by cluster, then frame.
func (s *Set) All() []store.Exemplar {
	var out []store.Exemplar
	for _, id := range s.ids() {
		out = append(out, s.clusters[id]...)
	}
	return out
}

func (s *Set) ids() []int {
	var ids []int
	for id := range s.clusters {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// TakeUnsent returns the exemplars added since the previous TakeUnsent
// that are still held, ordered by cluster, then frame, and clears that list.
func (s *Set) TakeUnsent() []store.Exemplar {
	var out []store.Exemplar
	for _, e := range s.All() {
		if s.unsent[e.Key()] {
			out = append(out, e)
		}
	}
	s.unsent = map[store.ExemplarKey]bool{}
	return out
}

// Reset removes every exemplar and hourly count, as when the clusters
// start again.
func (s *Set) Reset() {
	for _, id := range s.ids() {
		for len(s.clusters[id]) > 0 {
			s.remove(id, 0)
		}
	}
	for id := range s.hourly {
		s.hourDirty[id] = true
	}
	s.hourly = map[int]store.Hourly{}
	s.seen = map[int]uint64{}
}

// Merge moves the exemplars, hourly counts and frame count of cluster from
// into cluster into, as when the clusters merge. A uniform random subset
// of at most PerCluster exemplars stays, then the budget rule applies.
func (s *Set) Merge(from, into int) {
	if from == into {
		return
	}
	moved := slices.Clone(s.clusters[from])
	for len(s.clusters[from]) > 0 {
		s.remove(from, 0)
	}
	for _, e := range moved {
		s.Add(Slot{Keep: true, cluster: into, replace: -1}, e)
	}
	for len(s.clusters[into]) > s.cfg.PerCluster {
		s.remove(into, s.rng.IntN(len(s.clusters[into])))
	}
	s.mergeHourly(from, into)
	s.seen[into] += s.seen[from]
	delete(s.seen, from)
}

func (s *Set) mergeHourly(from, into int) {
	if len(s.hourly[from]) == 0 {
		return
	}
	h := s.hourly[into]
	if h == nil {
		h = store.Hourly{}
		s.hourly[into] = h
	}
	for hour, n := range s.hourly[from] {
		h[hour] += n
	}
	delete(s.hourly, from)
	s.hourDirty[from], s.hourDirty[into] = true, true
}

// Split moves the exemplars of cluster from for which toNew reports true
// into the new cluster into, as when from splits in two. The caller's
// toNew reports whether an exemplar's embedding is nearer the new centroid
// than the old one. Moving changes no bytes, so the budget still holds.
// The frame count of from is shared in proportion to the exemplars moved.
// The hourly counts stay with from, because they record its past.
func (s *Set) Split(from, into int, toNew func(store.Exemplar) bool) {
	if from == into {
		return
	}
	list := slices.Clone(s.clusters[from])
	moved := 0
	for _, e := range list {
		if !toNew(e) {
			continue
		}
		s.remove(from, byFrameIndex(s.clusters[from], e.Frame))
		s.Add(Slot{Keep: true, cluster: into, replace: -1}, e)
		moved++
	}
	if moved == 0 {
		return
	}
	share := s.seen[from] * uint64(moved) / uint64(len(list))
	s.seen[into] += share
	s.seen[from] -= share
}

func byFrameIndex(list []store.Exemplar, frame uint64) int {
	i, _ := slices.BinarySearchFunc(list, frame, byFrame)
	return i
}
