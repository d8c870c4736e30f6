package kv

import (
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/edgecluster/edgecluster/internal/pgtest"
)

// backend opens a fresh store; a second call on the same backend value
// opens the same store again, as a second process would.
type backend struct {
	name string
	open func(t *testing.T) DB
}

func backends(t *testing.T) []backend {
	path := filepath.Join(t.TempDir(), "kv.db")
	bolt := backend{"bbolt", func(t *testing.T) DB {
		return mustOpen(t, func() (DB, error) { return OpenBolt(path) })
	}}
	var dsn string
	postgres := backend{"postgres", func(t *testing.T) DB {
		if dsn == "" {
			dsn = pgtest.Start(t).NewDatabase()
		}
		return mustOpen(t, func() (DB, error) { return OpenPostgres(dsn, PostgresOptions{}) })
	}}
	return []backend{bolt, postgres}
}

func mustOpen(t *testing.T, open func() (DB, error)) DB {
	t.Helper()
	db, err := open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func forEachBackend(t *testing.T, test func(t *testing.T, b backend)) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) { test(t, b) })
	}
}

func key(n int) []byte { return binary.BigEndian.AppendUint32(nil, uint32(n)) }

func TestPutGetDelete(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		db := b.open(t)
		err := db.Update(func(tx Tx) error {
			bk, err := tx.CreateBucketIfNotExists([]byte("things"))
			if err != nil {
				return err
			}
			bk.Put([]byte("a"), []byte("1"))
			bk.Put([]byte("b"), []byte("2"))
			bk.Put([]byte("a"), []byte("3"))
			bk.Put([]byte("empty"), []byte{})
			return bk.Delete([]byte("b"))
		})
		if err != nil {
			t.Fatal(err)
		}
		db.View(func(tx Tx) error {
			bk := tx.Bucket([]byte("things"))
			if got := string(bk.Get([]byte("a"))); got != "3" {
				t.Errorf("a = %q, want 3 after overwrite", got)
			}
			if got := bk.Get([]byte("b")); got != nil {
				t.Errorf("b = %q after Delete, want nil", got)
			}
			if got := bk.Get([]byte("empty")); got == nil || len(got) != 0 {
				t.Errorf("empty = %#v, want a non-nil empty value", got)
			}
			if tx.Bucket([]byte("missing")) != nil {
				t.Error("missing bucket is not nil")
			}
			return nil
		})
	})
}

func TestCursorOrderAndSeek(t *testing.T) {
	const n = 600 // more than two PostgreSQL cursor batches
	forEachBackend(t, func(t *testing.T, b backend) {
		db := b.open(t)
		err := db.Update(func(tx Tx) error {
			bk, _ := tx.CreateBucketIfNotExists([]byte("seq"))
			for i := n - 1; i >= 0; i-- {
				if err := bk.Put(key(i), fmt.Appendf(nil, "v%d", i)); err != nil {
					return err
				}
			}
			_, err := bk.CreateBucketIfNotExists([]byte("nested"))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		db.View(func(tx Tx) error {
			bk := tx.Bucket([]byte("seq"))
			want := 0
			err := bk.ForEach(func(k, v []byte) error {
				if got := int(binary.BigEndian.Uint32(k)); got != want {
					return fmt.Errorf("key %d, want %d", got, want)
				}
				want++
				return nil
			})
			if err != nil || want != n {
				t.Errorf("ForEach visited %d pairs in order (err %v), want %d", want, err, n)
			}
			c := bk.Cursor()
			k, v := c.Seek(key(n - 2))
			if string(v) != fmt.Sprint("v", n-2) {
				t.Errorf("Seek value %q, want v%d", v, n-2)
			}
			k, _ = c.Next()
			k, _ = c.Next()
			if k != nil {
				t.Errorf("Next past the end returned key %x, want nil", k)
			}

			want = n - 1
			for k, _ := c.Last(); k != nil; k, _ = c.Prev() {
				if got := int(binary.BigEndian.Uint32(k)); got != want {
					t.Fatalf("Prev reached key %d, want %d", got, want)
				}
				want--
			}
			if want != -1 {
				t.Errorf("Last and Prev stopped before key %d, want all %d keys", want, n)
			}
			c.Seek(key(cursorBatch + 1))
			if k, _ := c.Prev(); k == nil || int(binary.BigEndian.Uint32(k)) != cursorBatch {
				t.Errorf("Prev after Seek(%d) returned key %x, want %d", cursorBatch+1, k,
					cursorBatch)
			}
			return nil
		})
	})
}

func TestMoveBucket(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		db := b.open(t)
		err := db.Update(func(tx Tx) error {
			src, _ := tx.CreateBucketIfNotExists([]byte("history"))
			dev, _ := src.CreateBucketIfNotExists([]byte("cam-1"))
			kind, _ := dev.CreateBucketIfNotExists([]byte("summary"))
			return kind.Put(key(1), []byte("one"))
		})
		if err != nil {
			t.Fatal(err)
		}
		// The move is a transaction of its own: see the note on MoveBucket.
		err = db.Update(func(tx Tx) error {
			src := tx.Bucket([]byte("history"))
			archive, _ := tx.CreateBucketIfNotExists([]byte("archive"))
			dst, _ := archive.CreateBucketIfNotExists([]byte("epoch"))
			if err := tx.MoveBucket([]byte("cam-1"), src, dst); err != nil {
				return err
			}
			err := tx.MoveBucket([]byte("cam-1"), src, dst)
			if !errors.Is(err, ErrBucketNotFound) {
				t.Errorf("second move: %v, want ErrBucketNotFound", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		db.View(func(tx Tx) error {
			if tx.Bucket([]byte("history")).Bucket([]byte("cam-1")) != nil {
				t.Error("source bucket still exists after the move")
			}
			moved := tx.Bucket([]byte("archive")).Bucket([]byte("epoch")).Bucket([]byte("cam-1"))
			if moved == nil || moved.Bucket([]byte("summary")) == nil {
				t.Fatal("moved bucket or its nested bucket is missing")
			}
			if got := string(moved.Bucket([]byte("summary")).Get(key(1))); got != "one" {
				t.Errorf("moved value %q, want one", got)
			}
			return nil
		})
	})
}

// TestDeleteBucket deletes cam-1 next to cam-10, whose name starts with
// cam-1, so a prefix match on names would delete both.
func TestDeleteBucket(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		db := b.open(t)
		err := db.Update(func(tx Tx) error {
			top, _ := tx.CreateBucketIfNotExists([]byte("thumbs"))
			for _, name := range []string{"cam-1", "cam-10"} {
				dev, _ := top.CreateBucketIfNotExists([]byte(name))
				nested, _ := dev.CreateBucketIfNotExists([]byte("old"))
				dev.Put(key(1), []byte(name))
				nested.Put(key(2), []byte("x"))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		err = db.Update(func(tx Tx) error {
			if err := tx.Bucket([]byte("thumbs")).DeleteBucket([]byte("cam-1")); err != nil {
				return err
			}
			err := tx.Bucket([]byte("thumbs")).DeleteBucket([]byte("cam-1"))
			if !errors.Is(err, ErrBucketNotFound) {
				t.Errorf("second delete: %v, want ErrBucketNotFound", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		db.View(func(tx Tx) error {
			top := tx.Bucket([]byte("thumbs"))
			if top.Bucket([]byte("cam-1")) != nil {
				t.Error("deleted bucket still exists")
			}
			kept := top.Bucket([]byte("cam-10"))
			if kept == nil || string(kept.Get(key(1))) != "cam-10" ||
				kept.Bucket([]byte("old")) == nil {
				t.Error("sibling bucket or its contents lost by the delete")
			}
			return nil
		})
		db.Update(func(tx Tx) error {
			top, _ := tx.Bucket([]byte("thumbs")).CreateBucketIfNotExists([]byte("cam-1"))
			if top.Bucket([]byte("old")) != nil || top.Get(key(1)) != nil {
				t.Error("bucket made again after delete has old contents")
			}
			return nil
		})
	})
}

func TestViewRejectsWrites(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		db := b.open(t)
		db.Update(func(tx Tx) error {
			_, err := tx.CreateBucketIfNotExists([]byte("b"))
			return err
		})
		err := db.View(func(tx Tx) error {
			return tx.Bucket([]byte("b")).Put([]byte("k"), []byte("v"))
		})
		if !errors.Is(err, ErrTxNotWritable) {
			t.Errorf("Put in View: %v, want ErrTxNotWritable", err)
		}
	})
}

func TestUpdateRollsBackOnError(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		db := b.open(t)
		boom := errors.New("boom")
		err := db.Update(func(tx Tx) error {
			bk, _ := tx.CreateBucketIfNotExists([]byte("b"))
			bk.Put([]byte("k"), []byte("v"))
			return boom
		})
		if !errors.Is(err, boom) {
			t.Errorf("Update returned %v, want fn's error", err)
		}
		db.View(func(tx Tx) error {
			if tx.Bucket([]byte("b")) != nil {
				t.Error("bucket of a failed Update exists")
			}
			return nil
		})
	})
}

// TestConcurrentUpdatesLoseNothing increments one counter from two
// handles on the same database, as two hub instances would.
func TestConcurrentUpdatesLoseNothing(t *testing.T) {
	b := backends(t)[1]
	dbs := []DB{b.open(t), b.open(t)}
	const perHandle = 100
	var wg sync.WaitGroup
	for _, db := range dbs {
		for range 2 {
			wg.Go(func() {
				for range perHandle / 2 {
					if err := increment(db); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
	}
	wg.Wait()
	var got uint64
	dbs[0].View(func(tx Tx) error {
		got = binary.BigEndian.Uint64(tx.Bucket([]byte("c")).Get([]byte("n")))
		return nil
	})
	if got != 2*perHandle {
		t.Errorf("counter %d, want %d", got, 2*perHandle)
	}
}

func increment(db DB) error {
	return db.Update(func(tx Tx) error {
		bk, err := tx.CreateBucketIfNotExists([]byte("c"))
		if err != nil {
			return err
		}
		var n uint64
		if v := bk.Get([]byte("n")); v != nil {
			n = binary.BigEndian.Uint64(v)
		}
		return bk.Put([]byte("n"), binary.BigEndian.AppendUint64(nil, n+1))
	})
}
