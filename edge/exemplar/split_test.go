package exemplar

import (
	"slices"
	"testing"

	"github.com/edgecluster/edgecluster/edge/store"
)

// TestSplitFollowsLineage keeps exemplars of cluster 0 on a line, with
// x = frame id, and splits at x = 10: frames above it move to cluster 5.
func TestSplitFollowsLineage(t *testing.T) {
	s := newTestSet(Config{PerCluster: 16})
	for frame := range uint64(16) {
		slot := s.Offer(0, t0)
		s.Add(slot, store.Exemplar{Frame: frame, Time: t0, JPEG: make([]byte, 10),
			Vector: []float32{float32(frame), 1}})
	}
	s.Committed()
	s.TakeUnsent()
	bytes := s.Bytes()

	s.Split(0, 5, func(e store.Exemplar) bool { return e.Vector[0] > 10 })

	if got, want := s.Frames(5), []uint64{11, 12, 13, 14, 15}; !slices.Equal(got, want) {
		t.Errorf("new cluster frames = %v, want %v", got, want)
	}
	if got := s.Frames(0); len(got) != 11 || got[10] != 10 {
		t.Errorf("split cluster frames = %v, want 0..10", got)
	}
	if s.Bytes() != bytes {
		t.Errorf("bytes = %d after the split, want %d", s.Bytes(), bytes)
	}
	if got := s.seen[0] + s.seen[5]; got != 16 || s.seen[5] != 5 {
		t.Errorf("seen = %d and %d, want 11 and 5", s.seen[0], s.seen[5])
	}
	c := s.Changes(t0)
	if len(c.Put) != 5 || len(c.Delete) != 5 {
		t.Errorf("Changes has %d puts and %d deletes, want 5 each", len(c.Put), len(c.Delete))
	}
	if got := len(s.TakeUnsent()); got != 5 {
		t.Errorf("%d exemplars unsent, want the 5 moved", got)
	}
}
