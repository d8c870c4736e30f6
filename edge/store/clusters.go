package store

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/edgecluster/edgecluster/edge/cluster"
)

// clusterEncoding is the version of the stored cluster state envelope.
const clusterEncoding = 1

// clusterRecord is the JSON envelope of a stored cluster.State.
type clusterRecord struct {
	Encoding int           `json:"encoding"`
	State    cluster.State `json:"state"`
}

// SaveClusters stores st under space, replacing any earlier state.
func (s *Store) SaveClusters(space string, st cluster.State) error {
	if space == "" {
		return fmt.Errorf("%w: empty space", ErrInvalidKey)
	}

	data, err := json.Marshal(clusterRecord{Encoding: clusterEncoding, State: st})
	if err != nil {
		return fmt.Errorf("store: encode clusters for space %q: %w", space, err)
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketClusters).Put([]byte(space), data)
	})
}

// LoadClusters returns the state stored under space and true, or false when
// none is stored. It returns an error wrapping ErrCorrupt when the stored
// value cannot be decoded, has an unknown encoding, or fails
// cluster.State.Validate.
func (s *Store) LoadClusters(space string) (cluster.State, bool, error) {
	if space == "" {
		return cluster.State{}, false, fmt.Errorf("%w: empty space", ErrInvalidKey)
	}

	var data []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		data = copyBytes(tx.Bucket(bucketClusters).Get([]byte(space)))
		return nil
	})
	if err != nil || data == nil {
		return cluster.State{}, false, err
	}

	st, err := decodeClusters(data)
	if err != nil {
		return cluster.State{}, false, fmt.Errorf("store: load clusters for space %q: %w",
			space, err)
	}
	return st, true, nil
}

func decodeClusters(data []byte) (cluster.State, error) {
	var record clusterRecord
	if err := json.Unmarshal(data, &record); err != nil {
		return cluster.State{}, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	if record.Encoding != clusterEncoding {
		return cluster.State{}, fmt.Errorf("%w: encoding is %d, want %d",
			ErrCorrupt, record.Encoding, clusterEncoding)
	}
	if err := record.State.Validate(); err != nil {
		return cluster.State{}, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return record.State, nil
}

// copyBytes copies a value read inside a transaction, which bbolt only keeps
// valid until the transaction ends. It keeps nil as nil.
func copyBytes(v []byte) []byte {
	if v == nil {
		return nil
	}
	return append([]byte{}, v...)
}

// Spaces returns the names of all stored cluster spaces in key order.
func (s *Store) Spaces() ([]string, error) {
	var out []string
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketClusters).ForEach(func(k, _ []byte) error {
			out = append(out, string(k))
			return nil
		})
	})
	return out, err
}
