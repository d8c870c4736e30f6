package store

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// bucketReductions maps a space to the encoded state of the dimension
// reduction that maps embeddings into the space's cluster vectors.
var bucketReductions = []byte("reductions")

// putReduction stores reduction for space, or does nothing when it is nil.
func putReduction(tx *bolt.Tx, space, reduction []byte) error {
	if reduction == nil {
		return nil
	}
	return tx.Bucket(bucketReductions).Put(space, reduction)
}

// Reduction returns a copy of the reduction state stored for space by
// CommitChanges and true, or false when none is stored.
func (s *Store) Reduction(space string) ([]byte, bool, error) {
	if space == "" {
		return nil, false, fmt.Errorf("%w: empty space", ErrInvalidKey)
	}
	var v []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		v = copyBytes(tx.Bucket(bucketReductions).Get([]byte(space)))
		return nil
	})
	return v, v != nil, err
}

// addReductions creates the reductions bucket of schema version 4.
func addReductions(tx *bolt.Tx) error {
	_, err := tx.CreateBucketIfNotExists(bucketReductions)
	return err
}
