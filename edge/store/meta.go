package store

import (
	"encoding/binary"
	"fmt"
	"math"

	bolt "go.etcd.io/bbolt"
)

// SetMeta stores v under key in the metadata bucket.
func (s *Store) SetMeta(key string, v []byte) error {
	if key == "" {
		return fmt.Errorf("%w: empty metadata key", ErrInvalidKey)
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put([]byte(key), v)
	})
}

// Meta returns a copy of the value stored under key, or nil and no error when
// the key is not set. A key set to an empty value returns an empty, non-nil
// slice.
func (s *Store) Meta(key string) ([]byte, error) {
	if key == "" {
		return nil, fmt.Errorf("%w: empty metadata key", ErrInvalidKey)
	}

	var v []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		v = copyBytes(tx.Bucket(bucketMeta).Get([]byte(key)))
		return nil
	})
	return v, err
}

// NextSequence increments the counter called name and returns its new value.
// Counters start at 1, persist across restarts, and never repeat a value.
func (s *Store) NextSequence(name string) (uint64, error) {
	if name == "" {
		return 0, fmt.Errorf("%w: empty counter name", ErrInvalidKey)
	}

	var next uint64
	err := s.db.Update(func(tx *bolt.Tx) error {
		counters := tx.Bucket(bucketSequences)
		raw := counters.Get([]byte(name))
		if raw != nil && len(raw) != 8 {
			return fmt.Errorf("%w: counter %q has %d bytes, want 8", ErrCorrupt, name, len(raw))
		}
		if raw != nil {
			next = binary.BigEndian.Uint64(raw)
		}
		if next == math.MaxUint64 {
			return fmt.Errorf("store: counter %q is at its maximum value", name)
		}

		next++
		return counters.Put([]byte(name), binary.BigEndian.AppendUint64(nil, next))
	})
	return next, err
}

// Sequence returns the latest value NextSequence returned for name, or 0
// when it never did.
func (s *Store) Sequence(name string) (uint64, error) {
	if name == "" {
		return 0, fmt.Errorf("%w: empty counter name", ErrInvalidKey)
	}

	var last uint64
	err := s.db.View(func(tx *bolt.Tx) error {
		raw := tx.Bucket(bucketSequences).Get([]byte(name))
		if raw != nil && len(raw) != 8 {
			return fmt.Errorf("%w: counter %q has %d bytes, want 8", ErrCorrupt, name, len(raw))
		}
		if raw != nil {
			last = binary.BigEndian.Uint64(raw)
		}
		return nil
	})
	return last, err
}
