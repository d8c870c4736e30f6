package cluster

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"testing"
)

// jsonRoundTrip encodes and decodes s, as a store that persists JSON does.
func jsonRoundTrip(t testing.TB, s State) State {
	t.Helper()
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var out State
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func mustJSON(t testing.TB, s State) []byte {
	t.Helper()
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestRestoreContinuesIdentically(t *testing.T) {
	cfg := Config{K: 3, SeedFrames: 24, HalfLife: 20, Exemplars: 3, Seed: 9}
	vectors := blobVectors(120, 16, 3)

	reference := mustNew(t, cfg, 16)
	var want []Assignment
	for i, v := range vectors {
		want = append(want, mustObserve(t, reference, v, i))
	}

	for _, stop := range []int{0, 1, 12, 23, 24, 25, 80} {
		t.Run(fmt.Sprintf("stop at %d", stop), func(t *testing.T) {
			m := mustNew(t, cfg, 16)
			for i, v := range vectors[:stop] {
				mustObserve(t, m, v, i)
			}

			restored, err := Restore(cfg, jsonRoundTrip(t, m.Snapshot()))
			if err != nil {
				t.Fatal(err)
			}
			for i := stop; i < len(vectors); i++ {
				if got := mustObserve(t, restored, vectors[i], i); got != want[i] {
					t.Fatalf("frame %d: %+v, want %+v", i, got, want[i])
				}
			}
			if !bytes.Equal(mustJSON(t, restored.Snapshot()), mustJSON(t, reference.Snapshot())) {
				t.Error("final snapshot differs from the model that never stopped")
			}
		})
	}
}

func TestSnapshotIsDeepCopy(t *testing.T) {
	m := mustNew(t, Config{K: 1, SeedFrames: 2}, 2)
	mustObserve(t, m, []float32{1, 1}, 0)
	pending := m.Snapshot()
	pending.Pending[0].Vector[0] = 50

	mustObserve(t, m, []float32{1, 1}, 1)
	s := m.Snapshot()
	s.Clusters[0].Centroid[0] = 99
	s.Clusters[0].Exemplars[0] = 99

	c := m.Snapshot().Clusters[0]
	if c.Centroid[0] != 1 {
		t.Errorf("Centroid[0] = %v after editing snapshots, want 1", c.Centroid[0])
	}
	if c.Exemplars[0] != 0 {
		t.Errorf("Exemplars[0] = %v after editing a snapshot, want 0", c.Exemplars[0])
	}
}

func TestRestoreRejectsBadState(t *testing.T) {
	cfg := Config{K: 2, SeedFrames: 4}
	seeded := func() State {
		m := mustNew(t, cfg, 2)
		for i, v := range [][]float32{{0, 0}, {9, 9}, {0, 1}, {9, 8}} {
			mustObserve(t, m, v, i)
		}
		return m.Snapshot()
	}
	seeding := func() State {
		m := mustNew(t, cfg, 2)
		mustObserve(t, m, []float32{1, 2}, 0)
		return m.Snapshot()
	}

	tests := []struct {
		name   string
		cfg    Config
		change func(*State)
		want   error
	}{
		{"newer version", cfg, func(s *State) { s.Version = 2 }, ErrUnsupportedVersion},
		{"zero dims", cfg, func(s *State) { s.Dims = 0 }, ErrInvalidState},
		{"unknown metric", cfg, func(s *State) { s.Metric = 5 }, ErrInvalidState},
		{"metric mismatch", Config{K: 2, SeedFrames: 4, Metric: Cosine}, nil, ErrInvalidState},
		{"K below clusters", Config{K: 1, SeedFrames: 4}, nil, ErrInvalidState},
		{"short centroid", cfg, func(s *State) {
			s.Clusters[1].Centroid = []float32{1}
		}, ErrInvalidState},
		{"NaN centroid", cfg, func(s *State) {
			s.Clusters[0].Centroid[1] = float32(math.NaN())
		}, ErrInvalidState},
		{"negative weight", cfg, func(s *State) { s.Clusters[0].Weight = -1 }, ErrInvalidState},
		{"ID out of order", cfg, func(s *State) { s.Clusters[0].ID = 1 }, ErrInvalidState},
		{"observed mismatch", cfg, func(s *State) { s.Observed++ }, ErrInvalidState},
		{"pending and clusters", cfg, func(s *State) {
			s.Pending = []PendingFrame{{Vector: []float32{1, 1}}}
			s.Observed++
		}, ErrInvalidState},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := seeded()
			if tt.change != nil {
				tt.change(&s)
			}
			if _, err := Restore(tt.cfg, s); !errors.Is(err, tt.want) {
				t.Errorf("Restore error = %v, want %v", err, tt.want)
			}
		})
	}

	pendingTests := []struct {
		name   string
		cfg    Config
		change func(*State)
		want   error
	}{
		{"pending too long", Config{K: 2, SeedFrames: 1}, nil, ErrInvalidState},
		{"pending wrong length", cfg, func(s *State) {
			s.Pending[0].Vector = []float32{1}
		}, ErrInvalidState},
		{"pending infinite", cfg, func(s *State) {
			s.Pending[0].Vector[0] = float32(math.Inf(1))
		}, ErrInvalidState},
		{"valid pending", cfg, nil, nil},
	}
	for _, tt := range pendingTests {
		t.Run(tt.name, func(t *testing.T) {
			s := seeding()
			if tt.change != nil {
				tt.change(&s)
			}
			if _, err := Restore(tt.cfg, s); !errors.Is(err, tt.want) {
				t.Errorf("Restore error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestRestoreTrimsExemplars(t *testing.T) {
	m := mustNew(t, Config{K: 1, SeedFrames: 1, Exemplars: 4}, 1)
	for i := range 6 {
		mustObserve(t, m, []float32{1}, i)
	}

	restored, err := Restore(Config{K: 1, SeedFrames: 1, Exemplars: 2}, m.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	mustObserve(t, restored, []float32{1}, 6)
	got := restored.Snapshot().Clusters[0].Exemplars
	if len(got) != 2 || got[0] != 5 || got[1] != 6 {
		t.Errorf("Exemplars = %v, want [5 6]", got)
	}
}
