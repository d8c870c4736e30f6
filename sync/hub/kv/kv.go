package kv

import "errors"

// Errors returned by both backends.
var (
	// ErrTxNotWritable is returned by writes in a View transaction.
	ErrTxNotWritable = errors.New("kv: transaction not writable")

	// ErrBucketNotFound is returned by DeleteBucket and MoveBucket for a
	// missing bucket.
	ErrBucketNotFound = errors.New("kv: bucket not found")

	// ErrBucketExists is returned by MoveBucket when the destination
	// already holds a bucket of that name.
	ErrBucketExists = errors.New("kv: bucket already exists")

	// ErrInvalidDSN is returned by OpenPostgres for a connection string that
	// cannot be parsed.
	ErrInvalidDSN = errors.New("kv: invalid PostgreSQL connection string")
)

// DB is an open store.
type DB interface {
	// Update runs fn in a read-write transaction and commits it when fn
	// returns nil. Writers are serialized across every process sharing
	// the store, so a read-modify-write in fn never loses a concurrent
	// update. The PostgreSQL backend runs fn again after a serialization
	// failure or deadlock, so fn must not have effects outside tx that
	// break when repeated.
	Update(fn func(tx Tx) error) error

	// View runs fn in a read-only transaction that reads one consistent
	// snapshot.
	View(fn func(tx Tx) error) error

	// Close releases the file or the connections.
	Close() error
}

// Tx is a transaction. Its buckets are valid only inside the function
// given to Update or View.
type Tx interface {
	// Bucket returns the top-level bucket name, or nil if it does not exist.
	Bucket(name []byte) Bucket

	// CreateBucketIfNotExists returns the top-level bucket name, creating it
	// when needed.
	CreateBucketIfNotExists(name []byte) (Bucket, error)

	// DeleteBucket deletes the top-level bucket name with everything in it.
	DeleteBucket(name []byte) error

	// MoveBucket moves the bucket child of src, with everything in it, into
	// dst.
	//
	// NOTE: with the bbolt backend (bbolt v1.5.0) changes made to child
	// earlier in the same transaction are lost, so move only buckets
	// unchanged in the transaction.
	MoveBucket(child []byte, src, dst Bucket) error
}

// Bucket is a named set of key/value pairs and nested buckets.
//
// The PostgreSQL backend reports a failed query by making the rest of the
// transaction fail: Get then returns nil and Update or View returns the
// error. Get and cursors return nil for a missing key or the end.
type Bucket interface {
	// Get returns the value of key, or nil. The slice is valid only in the
	// transaction.
	Get(key []byte) []byte

	// Put sets the value of key.
	Put(key, value []byte) error

	// Delete removes key. A missing key is no error.
	Delete(key []byte) error

	// ForEach calls fn for every key/value pair in key order and stops at
	// the first error. fn must not change the bucket.
	ForEach(fn func(k, v []byte) error) error

	// Cursor returns a cursor over the key/value pairs in key order.
	Cursor() Cursor

	// Bucket returns the nested bucket name, or nil.
	Bucket(name []byte) Bucket

	// CreateBucketIfNotExists returns the nested bucket name, creating it
	// when needed.
	CreateBucketIfNotExists(name []byte) (Bucket, error)

	// DeleteBucket deletes the nested bucket name with everything in it.
	DeleteBucket(name []byte) error
}

// Cursor walks the key/value pairs of a bucket in key order. A nil key
// means the end.
type Cursor interface {
	// First moves to the first pair.
	First() (key, value []byte)

	// Last moves to the last pair.
	Last() (key, value []byte)

	// Seek moves to the first pair whose key is at least seek.
	Seek(seek []byte) (key, value []byte)

	// Next moves to the following pair.
	Next() (key, value []byte)

	// Prev moves to the preceding pair.
	Prev() (key, value []byte)
}
