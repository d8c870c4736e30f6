package store

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// writeSchema1 creates a file laid out as schema version 1 wrote it: the
// store, clusters, meta and sequences buckets, version 1, and the given
// cluster records keyed by space.
func writeSchema1(t *testing.T, records map[string][]byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "v1.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketInternal, bucketClusters, bucketMeta, bucketSequences} {
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		for space, data := range records {
			if err := tx.Bucket(bucketClusters).Put([]byte(space), data); err != nil {
				return err
			}
		}
		version := binary.BigEndian.AppendUint64(nil, 1)
		return tx.Bucket(bucketInternal).Put(keySchema, version)
	})
	if err != nil {
		t.Fatal(err)
	}
	return path
}

func storedVersion(t *testing.T, path string) uint64 {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	var version uint64
	err = db.View(func(tx *bolt.Tx) error {
		version = binary.BigEndian.Uint64(tx.Bucket(bucketInternal).Get(keySchema))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return version
}

func TestMigrateSchema1To2(t *testing.T) {
	record, err := os.ReadFile("testdata/clusters.json")
	if err != nil {
		t.Fatal(err)
	}
	path := writeSchema1(t, map[string][]byte{"model-a": record})

	s, err := Open(path, Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	st, ok, err := s.LoadClusters("model-a")
	if err != nil || !ok {
		t.Fatalf("LoadClusters after migration = %v, %v", ok, err)
	}
	c, ok, err := s.LastCommit("model-a")
	if err != nil || !ok {
		t.Fatalf("LastCommit after migration = %v, %v", ok, err)
	}
	if c.Sequence != 0 || c.Observed != st.Observed || !c.Time.IsZero() {
		t.Errorf("migrated commit = %+v, want sequence 0, observed %d, zero time", c, st.Observed)
	}

	next, err := s.Commit("model-a", st, nil, time.Unix(100, 0))
	if err != nil {
		t.Fatal(err)
	}
	if next.Sequence != 1 {
		t.Errorf("first commit after migration has sequence %d, want 1", next.Sequence)
	}
	s.Close()
	if got := storedVersion(t, path); got != SchemaVersion {
		t.Errorf("stored schema version = %d, want %d", got, SchemaVersion)
	}
}

func TestMigrationFailureLeavesFile(t *testing.T) {
	path := writeSchema1(t, map[string][]byte{"model-a": []byte("{not json")})

	if _, err := Open(path, Options{Logger: quiet}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Open error = %v, want ErrCorrupt", err)
	}
	if got := storedVersion(t, path); got != 1 {
		t.Errorf("stored schema version after a failed migration = %d, want 1", got)
	}
}

func TestCommitIsAtomicAndCounted(t *testing.T) {
	s, _ := openTemp(t)
	st := seededState(t)

	for want := uint64(1); want <= 3; want++ {
		c, err := s.Commit("model-a", st, map[string][]byte{"counters": {byte(want)}},
			time.Unix(int64(want), 0))
		if err != nil {
			t.Fatal(err)
		}
		if c.Sequence != want || c.Observed != st.Observed {
			t.Errorf("commit %d = %+v, want sequence %d, observed %d", want, c, want, st.Observed)
		}
	}
	meta, err := s.Meta("counters")
	if err != nil || len(meta) != 1 || meta[0] != 3 {
		t.Errorf("counters meta = %v, %v, want [3]", meta, err)
	}

	// A rejected metadata key rolls back the clusters and the commit too.
	_, err = s.Commit("model-b", st, map[string][]byte{"": nil}, time.Unix(9, 0))
	if !errors.Is(err, ErrInvalidKey) {
		t.Fatalf("Commit with an empty key: error = %v, want ErrInvalidKey", err)
	}
	if _, ok, _ := s.LoadClusters("model-b"); ok {
		t.Error("rejected commit stored clusters")
	}
	if _, ok, _ := s.LastCommit("model-b"); ok {
		t.Error("rejected commit stored a commit record")
	}
}
