package hub

import (
	"path/filepath"
	"testing"

	"github.com/edgecluster/edgecluster/internal/pgtest"
)

// storeBackend is one kind of hub store. state returns the Options fields
// of a fresh, empty store of that kind.
type storeBackend struct {
	name  string
	state func(t *testing.T) Options
}

var storeBackends = []storeBackend{
	{"bbolt", boltState},
	{"postgres", postgresState},
}

func boltState(t *testing.T) Options {
	return Options{StatePath: filepath.Join(t.TempDir(), "hub.db")}
}

// postgresState starts a PostgreSQL server for the test.
func postgresState(t *testing.T) Options {
	return Options{Store: pgtest.Start(t).NewDatabase()}
}

// forEachStore runs test once per store backend, each on a fresh store.
func forEachStore(t *testing.T, test func(t *testing.T, state Options)) {
	for _, b := range storeBackends {
		t.Run(b.name, func(t *testing.T) { test(t, b.state(t)) })
	}
}

// withState returns opts with the store fields of state.
func withState(opts, state Options) Options {
	opts.StatePath, opts.Store = state.StatePath, state.Store
	return opts
}
