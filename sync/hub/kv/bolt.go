package kv

import (
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// boltDB is the bbolt backend. bbolt allows one writer at a time and
// locks the file, so only one process uses it.
type boltDB struct {
	db *bolt.DB
}

// OpenBolt opens or creates the bbolt file at path.
func OpenBolt(path string) (DB, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return nil, fmt.Errorf("kv: open %s: %w", path, err)
	}
	return boltDB{db: db}, nil
}

func (d boltDB) Update(fn func(tx Tx) error) error {
	return d.db.Update(func(tx *bolt.Tx) error { return fn(boltTx{tx}) })
}

func (d boltDB) View(fn func(tx Tx) error) error {
	return d.db.View(func(tx *bolt.Tx) error { return fn(boltTx{tx}) })
}

func (d boltDB) Close() error { return d.db.Close() }

type boltTx struct {
	tx *bolt.Tx
}

func (t boltTx) Bucket(name []byte) Bucket { return wrapBucket(t.tx.Bucket(name)) }

func (t boltTx) CreateBucketIfNotExists(name []byte) (Bucket, error) {
	b, err := t.tx.CreateBucketIfNotExists(name)
	return wrapBucket(b), boltError(err)
}

func (t boltTx) DeleteBucket(name []byte) error { return boltError(t.tx.DeleteBucket(name)) }

func (t boltTx) MoveBucket(child []byte, src, dst Bucket) error {
	return boltError(t.tx.MoveBucket(child, src.(boltBucket).b, dst.(boltBucket).b))
}

// boltError maps bbolt's errors to this package's.
func boltError(err error) error {
	switch {
	case errors.Is(err, bolt.ErrTxNotWritable):
		return fmt.Errorf("%w: %w", ErrTxNotWritable, err)
	case errors.Is(err, bolt.ErrBucketNotFound):
		return fmt.Errorf("%w: %w", ErrBucketNotFound, err)
	case errors.Is(err, bolt.ErrBucketExists):
		return fmt.Errorf("%w: %w", ErrBucketExists, err)
	}
	return err
}

type boltBucket struct {
	b *bolt.Bucket
}

// wrapBucket returns a nil Bucket for a nil *bolt.Bucket, so that callers'
// nil checks work.
func wrapBucket(b *bolt.Bucket) Bucket {
	if b == nil {
		return nil
	}
	return boltBucket{b}
}

func (b boltBucket) Get(key []byte) []byte { return b.b.Get(key) }

func (b boltBucket) Put(key, value []byte) error { return boltError(b.b.Put(key, value)) }

func (b boltBucket) Delete(key []byte) error { return boltError(b.b.Delete(key)) }

func (b boltBucket) ForEach(fn func(k, v []byte) error) error {
	return b.b.ForEach(func(k, v []byte) error {
		if v == nil {
			return nil // a nested bucket
		}
		return fn(k, v)
	})
}

func (b boltBucket) Cursor() Cursor { return boltCursor{b.b.Cursor()} }

func (b boltBucket) Bucket(name []byte) Bucket { return wrapBucket(b.b.Bucket(name)) }

func (b boltBucket) CreateBucketIfNotExists(name []byte) (Bucket, error) {
	nb, err := b.b.CreateBucketIfNotExists(name)
	return wrapBucket(nb), boltError(err)
}

func (b boltBucket) DeleteBucket(name []byte) error { return boltError(b.b.DeleteBucket(name)) }

// boltCursor skips the keys of nested buckets, whose value bbolt returns
// as nil.
type boltCursor struct {
	c *bolt.Cursor
}

func (c boltCursor) First() ([]byte, []byte) { return c.skip(c.c.First()) }

func (c boltCursor) Last() ([]byte, []byte) { return c.skipBack(c.c.Last()) }

func (c boltCursor) Prev() ([]byte, []byte) { return c.skipBack(c.c.Prev()) }

func (c boltCursor) Seek(seek []byte) ([]byte, []byte) { return c.skip(c.c.Seek(seek)) }

func (c boltCursor) Next() ([]byte, []byte) { return c.skip(c.c.Next()) }

func (c boltCursor) skip(k, v []byte) ([]byte, []byte) {
	for k != nil && v == nil {
		k, v = c.c.Next()
	}
	return k, v
}

func (c boltCursor) skipBack(k, v []byte) ([]byte, []byte) {
	for k != nil && v == nil {
		k, v = c.c.Prev()
	}
	return k, v
}
