package cluster

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
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
	vectors, _ := orderedBlobs(4, 16, []visit{{0, 24}, {1, 40}, {2, 40}, {0, 40}})

	reference := mustNew(t, cfg, 16)
	var want []Assignment
	for i, v := range vectors {
		want = append(want, mustObserve(t, reference, v, i))
	}
	if merges := countKind(reference.Lineage(), LineageMerge); merges != 2 {
		t.Fatalf("reference model merged %d times, want 2 so that restores cross merges", merges)
	}

	// Frames 24 and 64 are the first of a new blob, which merge and spawn.
	for _, stop := range []int{0, 1, 12, 23, 24, 25, 64, 65, 100} {
		t.Run(fmt.Sprintf("stop at %d", stop), func(t *testing.T) {
			assertRestoreContinues(t, cfg, vectors, stop, want, reference)
		})
	}
}

// assertRestoreContinues observes vectors up to stop, restores the model
// from its JSON state, observes the rest, and compares each assignment with
// want and the final state with reference's.
func assertRestoreContinues(t *testing.T, cfg Config, vectors [][]float32, stop int,
	want []Assignment, reference *Model) {
	t.Helper()
	m := mustNew(t, cfg, len(vectors[0]))
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
		{"newer version", cfg, func(s *State) { s.Version = StateVersion + 1 },
			ErrUnsupportedVersion},
		{"version 0", cfg, func(s *State) { s.Version = 0 }, ErrUnsupportedVersion},
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
		{"negative ID", cfg, func(s *State) { s.Clusters[0].ID = -1 }, ErrInvalidState},
		{"ID at NextID", cfg, func(s *State) { s.NextID = 1 }, ErrInvalidState},
		{"negative radius", cfg, func(s *State) { s.Clusters[1].Radius = -0.5 }, ErrInvalidState},
		{"short far vector", cfg, func(s *State) { s.Clusters[0].Far = []float32{1} },
			ErrInvalidState},
		{"NaN far vector", cfg, func(s *State) {
			s.Clusters[0].Far = []float32{1, float32(math.NaN())}
		}, ErrInvalidState},
		{"negative far distance", cfg, func(s *State) { s.Clusters[0].FarDistance = -1 },
			ErrInvalidState},
		{"joined after observed", cfg, func(s *State) { s.Clusters[0].Joined = s.Observed + 1 },
			ErrInvalidState},
		{"NaN radius", cfg, func(s *State) { s.Clusters[1].Radius = math.NaN() }, ErrInvalidState},
		{"infinite radius", cfg, func(s *State) {
			s.Clusters[1].Radius = math.Inf(1)
		}, ErrInvalidState},
		{"unknown lineage kind", cfg, func(s *State) { s.Lineage[0].Kind = "split" }, ErrInvalidState},
		{"lineage id at NextID", cfg, func(s *State) { s.Lineage[1].Into = 2 }, ErrInvalidState},
		{"seed with From", cfg, func(s *State) { s.Lineage[0].From = []int{1} }, ErrInvalidState},
		{"merge into other id", cfg, func(s *State) {
			s.Lineage = append(s.Lineage, LineageEvent{Kind: LineageMerge, From: []int{0, 1}, Into: 1})
		}, ErrInvalidState},
		{"merge of one id", cfg, func(s *State) {
			s.Lineage = append(s.Lineage, LineageEvent{Kind: LineageMerge, From: []int{0}, Into: 0})
		}, ErrInvalidState},
		{"lineage too long", cfg, func(s *State) {
			for range MaxLineage {
				s.Lineage = append(s.Lineage, LineageEvent{Kind: LineageSpawn, Into: 1})
			}
		}, ErrInvalidState},
		{"version 1 with NextID", cfg, func(s *State) {
			s.Version = 1
			s.Lineage = nil
			s.Clusters[0].Radius, s.Clusters[1].Radius = 0, 0
		}, ErrInvalidState},
		{"version 1 with radius", cfg, func(s *State) {
			s.Version, s.NextID, s.Lineage = 1, 0, nil
			s.Clusters[0].Radius = 1
		}, ErrInvalidState},
		{"version 1 fields cleared", cfg, func(s *State) {
			s.Version, s.NextID, s.Lineage = 1, 0, nil
			s.Clusters[0].Radius, s.Clusters[1].Radius = 0, 0
		}, nil},
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
		{"pending with NextID", cfg, func(s *State) { s.NextID = 1 }, ErrInvalidState},
		{"pending with lineage", cfg, func(s *State) {
			s.Lineage = []LineageEvent{{Kind: LineageSeed}}
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

func TestRestoreVersion1(t *testing.T) {
	cfg := Config{K: 2, SeedFrames: 4, Exemplars: 2}
	s := readState(t, "seeded-v1.json")
	if s.Version != 1 {
		t.Fatalf("testdata state has version %d, want 1", s.Version)
	}

	m, err := Restore(cfg, s)
	if err != nil {
		t.Fatal(err)
	}
	got := m.Snapshot()
	if got.Version != StateVersion || got.NextID != 2 || len(got.Lineage) != 0 {
		t.Errorf("Version, NextID, lineage = %d, %d, %v, want %d, 2, none",
			got.Version, got.NextID, got.Lineage, StateVersion)
	}
	half := distance(Euclidean, s.Clusters[0].Centroid, s.Clusters[1].Centroid) / 2
	for _, c := range got.Clusters {
		if math.Abs(c.Radius-half) > 1e-9 {
			t.Errorf("cluster %d: Radius = %v, want half the centroid distance %v",
				c.ID, c.Radius, half)
		}
	}

	far := []float32{0, 0, 100}
	a := mustObserve(t, m, far, 7)
	if a.Cluster != 2 {
		t.Errorf("novel vector after upgrade: Cluster = %d, want new id 2", a.Cluster)
	}
	if err := m.Snapshot().Validate(); err != nil {
		t.Errorf("snapshot after upgrade: %v", err)
	}
}

func readState(t *testing.T, name string) State {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var s State
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return s
}

func TestSurvivors(t *testing.T) {
	merge := func(survivor, retired int) LineageEvent {
		return LineageEvent{Kind: LineageMerge, From: []int{survivor, retired}, Into: survivor}
	}
	tests := []struct {
		name   string
		events []LineageEvent
		want   map[int]int
	}{
		{"none", []LineageEvent{{Kind: LineageSeed, Into: 0}}, map[int]int{}},
		{"one merge", []LineageEvent{merge(1, 4)}, map[int]int{4: 1}},
		{"chain", []LineageEvent{merge(1, 4), {Kind: LineageSpawn, Into: 9}, merge(2, 1)},
			map[int]int{4: 2, 1: 2}},
		{"survivor retired later", []LineageEvent{merge(3, 5), merge(3, 6), merge(7, 3)},
			map[int]int{5: 7, 6: 7, 3: 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Survivors(tt.events)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for id, want := range tt.want {
				if got[id] != want {
					t.Errorf("id %d maps to %d, want %d", id, got[id], want)
				}
			}
		})
	}
}
