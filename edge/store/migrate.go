package store

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// migrations[v] upgrades a file from schema version v to v+1 inside the
// transaction that Open runs. Each step must leave a file that the next
// step can read.
var migrations = map[uint64]func(*bolt.Tx) error{
	1: addCommits,
	2: addExemplars,
	3: addReductions,
}

// migrate upgrades a file from schema version from to SchemaVersion.
func migrate(tx *bolt.Tx, from uint64) error {
	for v := from; v < SchemaVersion; v++ {
		step, ok := migrations[v]
		if !ok {
			return fmt.Errorf("store: no migration from schema version %d", v)
		}
		if err := step(tx); err != nil {
			return fmt.Errorf("store: migrate schema %d to %d: %w", v, v+1, err)
		}
	}
	return nil
}

// addCommits creates the commits bucket of version 2 and records, for each
// stored space, a commit with sequence 0 and the observed count of its
// cluster state. A version 1 file kept no commit times, so Time stays zero.
func addCommits(tx *bolt.Tx) error {
	commits, err := tx.CreateBucketIfNotExists(bucketCommits)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketClusters).ForEach(func(space, data []byte) error {
		st, err := decodeClusters(data)
		if err != nil {
			return fmt.Errorf("space %q: %w", space, err)
		}
		return putCommit(commits, space, Commit{Observed: st.Observed})
	})
}

// addExemplars creates the empty exemplars and hourly buckets of version 3.
// A version 2 file kept neither, so every space starts without them.
func addExemplars(tx *bolt.Tx) error {
	return createBuckets(tx, [][]byte{bucketExemplars, bucketHourly})
}
