package store

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/edgecluster/edgecluster/edge/cluster"
)

// Commit describes the latest state saved for a space by Store.Commit.
type Commit struct {
	// Sequence counts the commits of the space, starting at 1. A space
	// migrated from schema version 1 starts at 0.
	Sequence uint64 `json:"sequence"`

	// Observed is the cluster state's Observed count at the commit.
	Observed uint64 `json:"observed"`

	// Time is the time passed to Commit.
	Time time.Time `json:"time"`
}

// Commit saves the cluster state of space, the metadata values in meta and
// a new Commit record in one bbolt transaction. After a crash the file holds
// all of them from the same commit, never a mix of two commits. Commit
// returns the new record.
//
// A caller that commits every N frames or T seconds loses at most the
// frames observed since its previous commit when the process dies: bbolt
// syncs the file before a transaction returns, and an interrupted
// transaction leaves the previous one in place.
func (s *Store) Commit(space string, st cluster.State, meta map[string][]byte,
	at time.Time) (Commit, error) {
	return s.CommitChanges(space, st, meta, Changes{}, at)
}

// CommitChanges is Commit that also applies the exemplar, hourly count and
// reduction changes of space in the same transaction.
func (s *Store) CommitChanges(space string, st cluster.State, meta map[string][]byte,
	changes Changes, at time.Time) (Commit, error) {
	if space == "" {
		return Commit{}, fmt.Errorf("%w: empty space", ErrInvalidKey)
	}
	data, err := json.Marshal(clusterRecord{Encoding: clusterEncoding, State: st})
	if err != nil {
		return Commit{}, fmt.Errorf("store: encode clusters for space %q: %w", space, err)
	}

	var c Commit
	err = s.db.Update(func(tx *bolt.Tx) error {
		if err := putMeta(tx, meta); err != nil {
			return err
		}
		if err := tx.Bucket(bucketClusters).Put([]byte(space), data); err != nil {
			return err
		}
		if err := writeChanges(tx, []byte(space), changes); err != nil {
			return err
		}
		if err := putReduction(tx, []byte(space), changes.Reduction); err != nil {
			return err
		}

		commits := tx.Bucket(bucketCommits)
		previous, _, err := getCommit(commits, []byte(space))
		if err != nil {
			return err
		}
		c = Commit{Sequence: previous.Sequence + 1, Observed: st.Observed, Time: at}
		return putCommit(commits, []byte(space), c)
	})
	return c, err
}

func putMeta(tx *bolt.Tx, meta map[string][]byte) error {
	bucket := tx.Bucket(bucketMeta)
	for key, v := range meta {
		if key == "" {
			return fmt.Errorf("%w: empty metadata key", ErrInvalidKey)
		}
		if err := bucket.Put([]byte(key), v); err != nil {
			return err
		}
	}
	return nil
}

// LastCommit returns the latest Commit record of space and true, or false
// when the space has none.
func (s *Store) LastCommit(space string) (Commit, bool, error) {
	if space == "" {
		return Commit{}, false, fmt.Errorf("%w: empty space", ErrInvalidKey)
	}
	var c Commit
	var ok bool
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		c, ok, err = getCommit(tx.Bucket(bucketCommits), []byte(space))
		return err
	})
	return c, ok, err
}

func getCommit(commits *bolt.Bucket, space []byte) (Commit, bool, error) {
	data := commits.Get(space)
	if data == nil {
		return Commit{}, false, nil
	}
	var c Commit
	if err := json.Unmarshal(data, &c); err != nil {
		return Commit{}, false, fmt.Errorf("%w: commit record of space %q: %w",
			ErrCorrupt, space, err)
	}
	return c, true, nil
}

func putCommit(commits *bolt.Bucket, space []byte, c Commit) error {
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return commits.Put(space, data)
}
