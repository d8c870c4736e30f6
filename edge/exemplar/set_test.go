package exemplar

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/edge/store"
)

var t0 = time.Date(2026, 12, 1, 10, 30, 0, 0, time.UTC)

func newTestSet(cfg Config) *Set {
	return NewSet(cfg, nil, nil, nil, rand.New(rand.NewPCG(1, 2)))
}

// feed offers frames of the given clusters in turn, each with a thumbnail
// of size bytes, starting at frame id first.
func feed(s *Set, clusters []int, frames, size int, first uint64) {
	for i := range frames {
		id := clusters[i%len(clusters)]
		frame := first + uint64(i)
		slot := s.Offer(id, t0.Add(time.Duration(i)*time.Second))
		s.Add(slot, store.Exemplar{Frame: frame, Time: t0, JPEG: make([]byte, size)})
	}
}

func TestBudgetAndEviction(t *testing.T) {
	tests := []struct {
		name       string
		cfg        Config
		clusters   []int
		frames     int
		size       int
		wantLen    map[int]int
		wantMaxLen int // most exemplars of any cluster
	}{
		{"within budget keeps PerCluster", Config{BudgetBytes: 10000, PerCluster: 4},
			[]int{0, 1}, 100, 100, map[int]int{0: 4, 1: 4}, 4},
		{"budget splits evenly", Config{BudgetBytes: 1000, PerCluster: 16},
			[]int{0, 1}, 200, 100, map[int]int{0: 5, 1: 5}, 5},
		{"budget below one thumbnail keeps none", Config{BudgetBytes: 50},
			[]int{0}, 10, 100, map[int]int{}, 0},
		{"negative budget keeps none", Config{BudgetBytes: -1},
			[]int{0, 1}, 10, 100, map[int]int{}, 0},
		{"late cluster takes a share", Config{BudgetBytes: 900, PerCluster: 16},
			append(make([]int, 50), 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), 60, 100,
			map[int]int{}, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestSet(tt.cfg)
			feed(s, tt.clusters, tt.frames, tt.size, 1)
			if s.Bytes() > max(s.Config().BudgetBytes, 0) {
				t.Errorf("Bytes = %d, over budget %d", s.Bytes(), s.Config().BudgetBytes)
			}
			for id, want := range tt.wantLen {
				if got := len(s.Frames(id)); got != want {
					t.Errorf("cluster %d has %d exemplars, want %d", id, got, want)
				}
			}
			if got := s.maxLen(); got != tt.wantMaxLen {
				t.Errorf("largest cluster has %d exemplars, want %d", got, tt.wantMaxLen)
			}
		})
	}
}

func TestLateClusterBalance(t *testing.T) {
	s := newTestSet(Config{BudgetBytes: 1000, PerCluster: 16})
	feed(s, []int{0}, 100, 100, 1)
	if got := len(s.Frames(0)); got != 10 {
		t.Fatalf("single cluster holds %d exemplars, want 10", got)
	}
	feed(s, []int{1}, 100, 100, 1000)
	a, b := len(s.Frames(0)), len(s.Frames(1))
	if a != 5 || b != 5 {
		t.Errorf("after a second cluster: %d and %d exemplars, want 5 and 5", a, b)
	}
}

func TestEvictsOldestOfLargest(t *testing.T) {
	s := newTestSet(Config{BudgetBytes: 300, PerCluster: 8})
	feed(s, []int{0}, 3, 100, 1) // frames 1, 2, 3 in cluster 0
	slot := s.Offer(1, t0)
	s.Add(slot, store.Exemplar{Frame: 10, JPEG: make([]byte, 100)})
	if got := s.Frames(0); len(got) != 2 || got[0] != 2 {
		t.Errorf("cluster 0 frames = %v, want [2 3] after evicting frame 1", got)
	}
	c := s.Changes(t0)
	if len(c.Delete) != 1 || c.Delete[0] != (store.ExemplarKey{Cluster: 0, Frame: 1}) {
		t.Errorf("Changes.Delete = %v, want cluster 0 frame 1", c.Delete)
	}
}

// Reservoir sampling keeps each frame with the same probability, so over
// many runs the early half and the late half of the frames are kept about
// equally often.
func TestReservoirIsUniform(t *testing.T) {
	var early, late int
	for run := range 200 {
		s := NewSet(Config{PerCluster: 4}, nil, nil, nil,
			rand.New(rand.NewPCG(uint64(run), 9)))
		feed(s, []int{0}, 100, 10, 0)
		for _, f := range s.Frames(0) {
			if f < 50 {
				early++
			} else {
				late++
			}
		}
	}
	if early < 300 || late < 300 {
		t.Errorf("kept %d early and %d late frames of 800, want about 400 each", early, late)
	}
}

func TestMergeFollowsLineage(t *testing.T) {
	s := newTestSet(Config{PerCluster: 4})
	feed(s, []int{0, 1}, 40, 10, 0)
	s.Committed()
	s.Merge(1, 0)
	if got := s.Frames(1); len(got) != 0 {
		t.Errorf("absorbed cluster keeps %v", got)
	}
	if got := s.Frames(0); len(got) != 4 {
		t.Errorf("survivor has %d exemplars, want 4", len(got))
	}
	if got := s.Hourly(0)[Hour(t0)]; got != 40 {
		t.Errorf("survivor hourly count = %d, want 40", got)
	}
	c := s.Changes(t0)
	if len(c.Delete) < 4 {
		t.Errorf("Changes.Delete has %d keys, want the 4 of cluster 1 at least", len(c.Delete))
	}
	if h, ok := c.Hourly[1]; !ok || len(h) != 0 {
		t.Errorf("Changes.Hourly[1] = %v, %v, want an empty series", h, ok)
	}
}

func TestHourlyRetention(t *testing.T) {
	s := newTestSet(Config{HourlyRetention: 2})
	for h := range 5 {
		s.Offer(3, t0.Add(time.Duration(h)*time.Hour))
	}
	s.Changes(t0.Add(4 * time.Hour))
	got := s.Hourly(3)
	if len(got) != 2 || got[Hour(t0)+3] != 1 || got[Hour(t0)+4] != 1 {
		t.Errorf("hourly counts = %v, want the last 2 hours", got)
	}
}

func TestRestoreAndReset(t *testing.T) {
	stored := []store.Exemplar{{Cluster: 2, Frame: 7, JPEG: make([]byte, 30)}}
	s := NewSet(Config{}, stored, map[int]store.Hourly{2: {5: 1}}, map[int]uint64{2: 9}, nil)
	if s.Bytes() != 30 || s.Len() != 1 {
		t.Errorf("restored Bytes, Len = %d, %d, want 30, 1", s.Bytes(), s.Len())
	}
	s.Reset()
	c := s.Changes(t0)
	if s.Len() != 0 || len(c.Delete) != 1 || len(c.Hourly) != 1 {
		t.Errorf("after Reset: Len %d, changes %+v", s.Len(), c)
	}
}
