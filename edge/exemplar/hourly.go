package exemplar

import (
	"time"

	"github.com/edgecluster/edgecluster/edge/store"
)

// Hour returns the UTC hour of t as hours since the Unix epoch, the key of
// store.Hourly.
func Hour(t time.Time) int64 {
	return t.Unix() / 3600
}

// Count adds a frame of cluster at time t to the hourly counts only, as for
// frames whose picture is no longer at hand.
func (s *Set) Count(cluster int, t time.Time) {
	h := s.hourly[cluster]
	if h == nil {
		h = store.Hourly{}
		s.hourly[cluster] = h
	}
	h[Hour(t)]++
	s.hourDirty[cluster] = true
}

// prune drops hourly counts older than the retention before now.
func (s *Set) prune(now time.Time) {
	oldest := Hour(now) - int64(s.cfg.HourlyRetention) + 1
	for id, h := range s.hourly {
		for hour := range h {
			if hour < oldest {
				delete(h, hour)
				s.hourDirty[id] = true
			}
		}
		if len(h) == 0 {
			delete(s.hourly, id)
		}
	}
}

// Hourly returns a copy of the hourly counts of cluster.
func (s *Set) Hourly(cluster int) store.Hourly {
	out := store.Hourly{}
	for hour, n := range s.hourly[cluster] {
		out[hour] = n
	}
	return out
}
