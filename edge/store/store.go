package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the schema version that Open writes and the newest it
// reads. Open migrates files of older versions, starting at 1, in place.
//
// Version 2 added the commits bucket, which records for each space the
// sequence number, observed frame count and time of its latest Commit.
// Version 3 added the exemplars and hourly buckets, which hold per space
// the clusters' exemplar thumbnails and their frame counts by UTC hour.
// Version 4 added the reductions bucket, which holds per space the state
// of the dimension reduction written with Changes.Reduction.
const SchemaVersion = 4

// DefaultTimeout is the lock wait Open uses when Options.Timeout is 0.
const DefaultTimeout = time.Second

// Bucket and key names. The uplink may add its own buckets beside these.
var (
	bucketInternal  = []byte("store")
	bucketClusters  = []byte("clusters")
	bucketMeta      = []byte("meta")
	bucketSequences = []byte("sequences")
	bucketCommits   = []byte("commits")
	bucketExemplars = []byte("exemplars")
	bucketHourly    = []byte("hourly")
	keySchema       = []byte("schema_version")
)

// Options configures Open. The zero value is ready to use.
type Options struct {
	// Timeout is how long Open waits for the file lock. 0 means
	// DefaultTimeout.
	Timeout time.Duration

	// Logger receives open events. nil means slog.Default().
	Logger *slog.Logger
}

// Store is a bbolt file that contains the daemon's state. Its methods are safe
// for concurrent use.
type Store struct {
	db *bolt.DB
}

// Open opens or creates the store file at path, creating its buckets and
// schema version on first use.
//
// Open returns an error wrapping ErrLocked when the file stays locked for
// Options.Timeout, ErrSchemaTooNew when the file has a newer schema, and
// ErrCorrupt when its schema version cannot be read.
func Open(path string, opts Options) (*Store, error) {
	timeout := opts.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}

	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s is still in use after waiting %v; "+
			"stop the other process that has it open: %w", ErrLocked, path, timeout, err)
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}

	result, err := initSchema(db)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}

	if result.migratedFrom != 0 {
		logger.Info("store migrated", "component", "store", "path", path,
			"from", result.migratedFrom, "to", SchemaVersion)
	}
	logger.Info("store opened", "component", "store", "path", path,
		"schema", SchemaVersion, "created", result.created)
	return &Store{db: db}, nil
}

// schemaResult reports what initSchema did.
type schemaResult struct {
	created      bool
	migratedFrom uint64 // 0 unless an older schema was migrated
}

// initSchema checks the file's schema version, migrates an older schema and
// creates missing buckets, all in one transaction. A file with a newer
// schema, or a failed migration, is left untouched because the transaction
// rolls back.
func initSchema(db *bolt.DB) (schemaResult, error) {
	var result schemaResult
	err := db.Update(func(tx *bolt.Tx) error {
		internal, err := tx.CreateBucketIfNotExists(bucketInternal)
		if err != nil {
			return err
		}

		version := uint64(SchemaVersion)
		raw := internal.Get(keySchema)
		if raw == nil {
			result.created = true
		} else if version, err = checkSchema(raw); err != nil {
			return err
		}
		if err := createBuckets(tx, version1Buckets); err != nil {
			return err
		}

		if version < SchemaVersion {
			result.migratedFrom = version
			if err := migrate(tx, version); err != nil {
				return err
			}
		}
		if err := createBuckets(tx, currentBuckets); err != nil {
			return err
		}
		return internal.Put(keySchema, binary.BigEndian.AppendUint64(nil, SchemaVersion))
	})
	return result, err
}

// checkSchema returns the stored schema version, or an error for a value
// that is malformed, 0, or newer than SchemaVersion.
func checkSchema(raw []byte) (uint64, error) {
	if len(raw) != 8 {
		return 0, fmt.Errorf("%w: schema version has %d bytes, want 8", ErrCorrupt, len(raw))
	}

	version := binary.BigEndian.Uint64(raw)
	switch {
	case version == 0:
		return 0, fmt.Errorf("%w: schema version is 0", ErrCorrupt)
	case version > SchemaVersion:
		return 0, fmt.Errorf("%w: file has schema version %d, this build supports up to %d",
			ErrSchemaTooNew, version, SchemaVersion)
	}
	return version, nil
}

// Buckets of schema version 1 and of the current schema.
var (
	version1Buckets = [][]byte{bucketClusters, bucketMeta, bucketSequences}
	currentBuckets  = [][]byte{bucketClusters, bucketMeta, bucketSequences, bucketCommits,
		bucketExemplars, bucketHourly, bucketReductions}
)

func createBuckets(tx *bolt.Tx, names [][]byte) error {
	for _, name := range names {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	return nil
}

// DB returns the underlying bbolt database, for components that keep their
// own buckets in the same file. Callers must not close it; use Close.
func (s *Store) DB() *bolt.DB { return s.db }

// Close closes the file and releases its lock.
func (s *Store) Close() error {
	return s.db.Close()
}
