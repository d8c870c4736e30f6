package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// copyFixture copies a stored file to a temporary path, since Open writes.
func copyFixture(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// schema2.db was written by the schema 2 build: one space "model-a"
// committed once, with counters metadata.
func TestMigrateSchema2To3(t *testing.T) {
	path := copyFixture(t, "schema2.db")
	if got := storedVersion(t, path); got != 2 {
		t.Fatalf("fixture schema version = %d, want 2", got)
	}

	s, err := Open(path, Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	st, ok, err := s.LoadClusters("model-a")
	if err != nil || !ok {
		t.Fatalf("LoadClusters after migration = %v, %v", ok, err)
	}
	c, ok, err := s.LastCommit("model-a")
	if err != nil || !ok || c.Sequence != 1 {
		t.Errorf("LastCommit after migration = %+v, %v, %v, want sequence 1", c, ok, err)
	}
	if meta, _ := s.Meta("counters/model-a"); string(meta) != `{"seen":9}` {
		t.Errorf("counters after migration = %q, want the stored value", meta)
	}
	if ex, err := s.Exemplars("model-a"); err != nil || len(ex) != 0 {
		t.Errorf("Exemplars after migration = %v, %v, want none", ex, err)
	}

	e := Exemplar{Cluster: 1, Frame: 5, Time: time.Unix(7, 0).UTC(), JPEG: []byte{1}}
	if _, err := s.CommitChanges("model-a", st, nil, Changes{Put: []Exemplar{e}},
		time.Unix(8, 0)); err != nil {
		t.Fatal(err)
	}
	if got := storedVersion2(t, s); got != SchemaVersion {
		t.Errorf("stored schema version = %d, want %d", got, SchemaVersion)
	}
}

func storedVersion2(t *testing.T, s *Store) uint64 {
	t.Helper()
	path := s.DB().Path()
	s.Close()
	return storedVersion(t, path)
}

func TestExemplarRoundTrip(t *testing.T) {
	s, _ := openTemp(t)
	st := seededState(t)
	in := []Exemplar{
		{Cluster: 0, Frame: 3, Time: time.Unix(1, 5).UTC(), Vector: []float32{0.5, -1},
			JPEG: []byte("jpeg-a")},
		{Cluster: 2, Frame: 1, Time: time.Unix(2, 0).UTC(), JPEG: []byte("jpeg-b")},
		{Cluster: 2, Frame: 9, Time: time.Unix(3, 0).UTC(), Vector: []float32{0.25}},
	}
	hourly := map[int]Hourly{0: {490000: 3, 490001: 4}, 2: {490001: 1}}
	changes := Changes{Put: in, Hourly: hourly}
	if _, err := s.CommitChanges("model-a", st, nil, changes, time.Unix(9, 0)); err != nil {
		t.Fatal(err)
	}
	got, err := s.Exemplars("model-a")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(in) {
		t.Fatalf("Exemplars returned %d, want %d", len(got), len(in))
	}
	for i, want := range in {
		g := got[i]
		if g.Key() != want.Key() || !g.Time.Equal(want.Time) || !bytes.Equal(g.JPEG, want.JPEG) ||
			len(g.Vector) != len(want.Vector) {
			t.Errorf("exemplar %d = %+v, want %+v", i, g, want)
		}
	}

	h, err := s.HourlyCounts("model-a")
	if err != nil {
		t.Fatal(err)
	}
	if h[0][490001] != 4 || h[2][490001] != 1 || len(h) != 2 {
		t.Errorf("HourlyCounts = %v, want %v", h, hourly)
	}

	del := Changes{Delete: []ExemplarKey{{2, 1}}, Hourly: map[int]Hourly{2: nil}}
	if _, err := s.CommitChanges("model-a", st, nil, del, time.Unix(10, 0)); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Exemplars("model-a")
	if len(got) != 2 || got[1].Frame != 9 {
		t.Errorf("after delete: %+v, want frames 3 and 9", got)
	}
	if h, _ := s.HourlyCounts("model-a"); len(h) != 1 {
		t.Errorf("after delete: hourly %v, want cluster 0 only", h)
	}

	freed, err := s.DropExemplars("model-a")
	if err != nil || freed == 0 {
		t.Errorf("DropExemplars = %d, %v, want some bytes", freed, err)
	}
	if got, _ := s.Exemplars("model-a"); len(got) != 0 {
		t.Errorf("after DropExemplars: %d exemplars, want 0", len(got))
	}
}

func TestCommitChangesRollsBack(t *testing.T) {
	s, _ := openTemp(t)
	st := seededState(t)
	bad := Changes{Put: []Exemplar{{Cluster: 1, Frame: 1}, {Cluster: -1, Frame: 2}}}
	_, err := s.CommitChanges("model-a", st, nil, bad, time.Unix(1, 0))
	if !errors.Is(err, ErrInvalidKey) {
		t.Fatalf("CommitChanges with cluster -1: error = %v, want ErrInvalidKey", err)
	}
	if got, _ := s.Exemplars("model-a"); len(got) != 0 {
		t.Errorf("rejected commit stored %d exemplars", len(got))
	}
	if _, ok, _ := s.LoadClusters("model-a"); ok {
		t.Error("rejected commit stored clusters")
	}
}

func TestCorruptExemplarRejected(t *testing.T) {
	tests := []struct {
		name string
		key  []byte
		v    []byte
	}{
		{"short key", []byte{1}, []byte{exemplarEncoding, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
		{"no header", make([]byte, 12), []byte{exemplarEncoding}},
		{"wrong encoding", make([]byte, 12), make([]byte, exemplarHeader)},
		{"vector too long", make([]byte, 12),
			[]byte{exemplarEncoding, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 1, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := decodeExemplar(tt.key, tt.v); !errors.Is(err, ErrCorrupt) {
				t.Errorf("decodeExemplar error = %v, want ErrCorrupt", err)
			}
		})
	}
}
