package store

import (
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/edgecluster/edgecluster/edge/cluster"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := Open(path, Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

// seededState returns a cluster state taken after seeding from a few frames.
func seededState(t *testing.T) cluster.State {
	t.Helper()
	m, err := cluster.New(cluster.Config{K: 2, SeedFrames: 4}, 3)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2025, 3, 1, 12, 0, 0, 123456789, time.UTC)
	vectors := [][]float32{
		{0.1, 0.2, 0.3}, {5, 5, 5.5}, {0.15, 0.2, 1.0 / 3}, {5.2, 4.9, 5}, {0, 0, 0},
	}
	for i, v := range vectors {
		if _, err := m.Observe(v, start.Add(time.Duration(i)*time.Millisecond), uint64(i)); err != nil {
			t.Fatal(err)
		}
	}
	return m.Snapshot()
}

func assertStatesEqual(t *testing.T, got, want cluster.State) {
	t.Helper()
	if got.Version != want.Version || got.Dims != want.Dims || got.Observed != want.Observed {
		t.Errorf("header = %d/%d/%d, want %d/%d/%d", got.Version, got.Dims, got.Observed,
			want.Version, want.Dims, want.Observed)
	}
	if len(got.Clusters) != len(want.Clusters) {
		t.Fatalf("%d clusters, want %d", len(got.Clusters), len(want.Clusters))
	}
	for i, w := range want.Clusters {
		g := got.Clusters[i]
		if g.Weight != w.Weight || g.Count != w.Count || !g.LastSeen.Equal(w.LastSeen) {
			t.Errorf("cluster %d = %+v, want %+v", i, g, w)
		}
		for d := range w.Centroid {
			if g.Centroid[d] != w.Centroid[d] {
				t.Errorf("cluster %d centroid = %v, want %v", i, g.Centroid, w.Centroid)
				break
			}
		}
	}
}

func TestClustersRoundTrip(t *testing.T) {
	s, _ := openTemp(t)
	want := seededState(t)
	if err := s.SaveClusters("mobilenet-v3/1280", want); err != nil {
		t.Fatal(err)
	}

	got, ok, err := s.LoadClusters("mobilenet-v3/1280")
	if err != nil || !ok {
		t.Fatalf("LoadClusters = %v, %v, want found", ok, err)
	}
	assertStatesEqual(t, got, want)

	if _, ok, err := s.LoadClusters("other-model"); ok || err != nil {
		t.Errorf("LoadClusters of unknown space = %v, %v, want not found and no error", ok, err)
	}
}

func TestReopenResumes(t *testing.T) {
	s, path := openTemp(t)
	want := seededState(t)
	if err := s.SaveClusters("space", want); err != nil {
		t.Fatal(err)
	}
	if _, err := s.NextSequence("frames"); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	reopened, err := Open(path, Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer reopened.Close()

	got, ok, err := reopened.LoadClusters("space")
	if err != nil || !ok {
		t.Fatalf("LoadClusters after reopen = %v, %v, want found", ok, err)
	}
	assertStatesEqual(t, got, want)
	if _, err := cluster.Restore(cluster.Config{K: 2, SeedFrames: 4}, got); err != nil {
		t.Errorf("Restore of reloaded state: %v", err)
	}
	if n, err := reopened.NextSequence("frames"); n != 2 || err != nil {
		t.Errorf("NextSequence after reopen = %d, %v, want 2", n, err)
	}
}

func TestOpenRejectsNewerSchema(t *testing.T) {
	s, path := openTemp(t)
	err := s.DB().Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketInternal).Put(keySchema, binary.BigEndian.AppendUint64(nil, 7))
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	_, err = Open(path, Options{Logger: quiet})
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("Open error = %v, want ErrSchemaTooNew", err)
	}
	for _, version := range []string{"7", strconv.Itoa(SchemaVersion)} {
		if !strings.Contains(err.Error(), version) {
			t.Errorf("error %q does not name version %s", err, version)
		}
	}
}

func TestOpenRejectsCorruptSchema(t *testing.T) {
	s, path := openTemp(t)
	err := s.DB().Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketInternal).Put(keySchema, []byte("v1"))
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	if _, err := Open(path, Options{Logger: quiet}); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Open error = %v, want ErrCorrupt", err)
	}
}

func TestLoadClustersCorrupt(t *testing.T) {
	tests := []struct {
		name  string
		value string
	}{
		{"not JSON", "\x00\xff garbage"},
		{"truncated", `{"encoding":1,"state":{"Version":1,"Dims":3`},
		{"unknown encoding", `{"encoding":9,"state":{}}`},
		{"wrong type", `{"encoding":1,"state":{"Dims":"three"}}`},
		{"invalid state", `{"encoding":1,"state":{"Version":1,"Dims":0}}`},
		{"empty", ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := openTemp(t)
			err := s.DB().Update(func(tx *bolt.Tx) error {
				return tx.Bucket(bucketClusters).Put([]byte("space"), []byte(tt.value))
			})
			if err != nil {
				t.Fatal(err)
			}

			_, ok, err := s.LoadClusters("space")
			if !errors.Is(err, ErrCorrupt) {
				t.Errorf("LoadClusters error = %v, want ErrCorrupt", err)
			}
			if ok {
				t.Error("LoadClusters reported found for a corrupt value")
			}
		})
	}
}

func TestOpenLockedTimesOut(t *testing.T) {
	_, path := openTemp(t)

	start := time.Now()
	_, err := Open(path, Options{Timeout: 100 * time.Millisecond, Logger: quiet})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open error = %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name the file", err)
	}
	// bbolt v1.5.0 retries the lock every 50ms and gives up one retry early.
	if waited := time.Since(start); waited < 50*time.Millisecond || waited > 5*time.Second {
		t.Errorf("second Open returned after %v, want 50ms to 100ms", waited)
	}
}

func TestMeta(t *testing.T) {
	s, _ := openTemp(t)
	tests := []struct {
		name  string
		key   string
		value []byte
	}{
		{"text", "model", []byte("mobilenet")},
		{"binary", "bytes", []byte{0, 1, 2, 255}},
		{"empty", "blank", []byte{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.SetMeta(tt.key, tt.value); err != nil {
				t.Fatal(err)
			}
			got, err := s.Meta(tt.key)
			if err != nil {
				t.Fatal(err)
			}
			if got == nil || string(got) != string(tt.value) {
				t.Errorf("Meta = %q, want %q", got, tt.value)
			}
		})
	}

	if got, err := s.Meta("missing"); got != nil || err != nil {
		t.Errorf("Meta of missing key = %q, %v, want nil, nil", got, err)
	}
}

func TestEmptyKeysRejected(t *testing.T) {
	s, _ := openTemp(t)
	checks := map[string]error{
		"SaveClusters": s.SaveClusters("", cluster.State{}),
		"SetMeta":      s.SetMeta("", nil),
	}
	_, _, checks["LoadClusters"] = s.LoadClusters("")
	_, checks["Meta"] = s.Meta("")
	_, checks["NextSequence"] = s.NextSequence("")
	for name, err := range checks {
		if !errors.Is(err, ErrInvalidKey) {
			t.Errorf("%s error = %v, want ErrInvalidKey", name, err)
		}
	}
}

func TestNextSequence(t *testing.T) {
	s, _ := openTemp(t)
	steps := []struct {
		name string
		want uint64
	}{
		{"frames", 1}, {"frames", 2}, {"summaries", 1}, {"frames", 3},
	}
	for _, step := range steps {
		got, err := s.NextSequence(step.name)
		if err != nil {
			t.Fatal(err)
		}
		if got != step.want {
			t.Errorf("NextSequence(%q) = %d, want %d", step.name, got, step.want)
		}
	}
}

func TestSaveClustersRejectsNaN(t *testing.T) {
	s, _ := openTemp(t)
	st := seededState(t)
	st.Clusters[0].Weight = math.NaN()
	if err := s.SaveClusters("space", st); err == nil {
		t.Error("SaveClusters accepted a NaN weight")
	}
}

func TestSpacesListsSavedStates(t *testing.T) {
	s, _ := openTemp(t)
	if got, err := s.Spaces(); err != nil || len(got) != 0 {
		t.Fatalf("new store: spaces %v, err %v; want none", got, err)
	}
	st := seededState(t)
	for _, space := range []string{"b-model", "a-model"} {
		if err := s.SaveClusters(space, st); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Spaces()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != "a-model" || got[1] != "b-model" {
		t.Errorf("spaces %v, want [a-model b-model]", got)
	}
}

func TestSequenceReadsLatest(t *testing.T) {
	s, _ := openTemp(t)
	if n, err := s.Sequence("summary"); n != 0 || err != nil {
		t.Errorf("Sequence before NextSequence = %d, %v, want 0", n, err)
	}
	for range 3 {
		if _, err := s.NextSequence("summary"); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := s.Sequence("summary"); n != 3 || err != nil {
		t.Errorf("Sequence after three NextSequence = %d, %v, want 3", n, err)
	}
	if n, err := s.NextSequence("summary"); n != 4 || err != nil {
		t.Errorf("NextSequence after Sequence = %d, %v, want 4", n, err)
	}
}
