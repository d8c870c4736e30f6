package cluster

import (
	"errors"
	"math"
	"slices"
	"testing"
	"time"
)

// seededModel returns a model with clusters around 0 and 10 in 2-d.
func seededModel(t *testing.T) *Model {
	t.Helper()
	m, err := New(Config{K: 2, SeedFrames: 4}, 2)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, v := range [][]float32{{0, 0}, {10, 10}, {0, 1}, {10, 11}} {
		if _, err := m.Observe(v, at, uint64(i)); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

func TestRefineMovesCentroids(t *testing.T) {
	m := seededModel(t)
	before := m.Snapshot()
	target := before.Clusters[1].ID
	at := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	moved, err := m.Refine(map[int][]float32{target: {9, 9}}, at, 7)
	if err != nil {
		t.Fatal(err)
	}

	if !slices.Equal(moved, []int{target}) {
		t.Errorf("moved = %v, want [%d]", moved, target)
	}
	after := m.Snapshot()
	if got := after.Clusters[1].Centroid; !slices.Equal(got, []float32{9, 9}) {
		t.Errorf("centroid = %v, want [9 9]", got)
	}
	if after.Clusters[1].Count != before.Clusters[1].Count {
		t.Errorf("count = %d, want %d", after.Clusters[1].Count, before.Clusters[1].Count)
	}
	if !slices.Equal(after.Clusters[0].Centroid, before.Clusters[0].Centroid) {
		t.Errorf("cluster %d moved, only %d was named", after.Clusters[0].ID, target)
	}

	last := after.Lineage[len(after.Lineage)-1]
	want := LineageEvent{Time: at, Frame: 7, Kind: LineageRefine, From: []int{target},
		Into: target}
	if last.Kind != want.Kind || !slices.Equal(last.From, want.From) || last.Into != want.Into ||
		last.Frame != want.Frame || !last.Time.Equal(want.Time) {
		t.Errorf("last lineage event = %+v, want %+v", last, want)
	}

	if err := after.Validate(); err != nil {
		t.Errorf("state after refine does not validate: %v", err)
	}
	if a, _ := m.Nearest([]float32{9, 9}); a.Cluster != target || a.Distance != 0 {
		t.Errorf("nearest to the new centroid = %+v, want cluster %d at 0", a, target)
	}
}

func TestRefineUnchangedRecordsNothing(t *testing.T) {
	m := seededModel(t)
	c := m.Snapshot().Clusters[0]
	events := m.Events()
	moved, err := m.Refine(map[int][]float32{c.ID: c.Centroid}, time.Now(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(moved) != 0 {
		t.Errorf("moved = %v, want none", moved)
	}
	if m.Events() != events {
		t.Errorf("events = %d, want %d", m.Events(), events)
	}
}

func TestRefineRejectsBadInput(t *testing.T) {
	tests := []struct {
		name      string
		centroids map[int][]float32
		want      error
	}{
		{"unknown id", map[int][]float32{99: {1, 1}}, ErrClusterNotFound},
		{"wrong length", map[int][]float32{0: {1, 1, 1}}, ErrDimension},
		{"NaN", map[int][]float32{0: {float32(math.NaN()), 1}}, ErrInvalidVector},
		{"one bad of two", map[int][]float32{0: {5, 5}, 1: {1}}, ErrDimension},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := seededModel(t)
			before := m.Snapshot()
			_, err := m.Refine(tt.centroids, time.Now(), 1)
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
			for i, c := range m.Snapshot().Clusters {
				if !slices.Equal(c.Centroid, before.Clusters[i].Centroid) {
					t.Errorf("cluster %d moved although the refinement was rejected", c.ID)
				}
			}
		})
	}
}

func TestValidateRefineEvent(t *testing.T) {
	tests := []struct {
		name  string
		event LineageEvent
		ok    bool
	}{
		{"one id", LineageEvent{Kind: LineageRefine, From: []int{1}, Into: 1}, true},
		{"two ids", LineageEvent{Kind: LineageRefine, From: []int{0, 1}, Into: 0}, true},
		{"no ids", LineageEvent{Kind: LineageRefine, Into: 0}, false},
		{"into not first", LineageEvent{Kind: LineageRefine, From: []int{0, 1}, Into: 1}, false},
		{"descending", LineageEvent{Kind: LineageRefine, From: []int{1, 0}, Into: 1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.event.validate(2)
			if (err == nil) != tt.ok {
				t.Errorf("validate = %v, want ok %v", err, tt.ok)
			}
		})
	}
}
