package exemplar

import (
	"math/rand/v2"

	"github.com/edgecluster/edgecluster/edge/store"
)

// Set holds the exemplars and hourly counts of one cluster space. It is not
// safe for concurrent use.
type Set struct {
	cfg      Config
	rng      *rand.Rand
	clusters map[int][]store.Exemplar // each ordered by frame id
	seen     map[int]uint64           // frames offered per cluster
	hourly   map[int]store.Hourly
	bytes    int64

	put       map[store.ExemplarKey]store.Exemplar // changes since the last commit
	deleted   map[store.ExemplarKey]bool
	hourDirty map[int]bool
	unsent    map[store.ExemplarKey]bool // added since the last TakeUnsent
}

// Slot is the decision of Offer: whether to keep the frame and which
// exemplar, if any, it replaces.
type Slot struct {
	Keep    bool
	cluster int
	replace int // index in the cluster's exemplars, or -1 to add
}

// NewSet returns a Set holding stored exemplars and hourly counts. seen
// gives each cluster's frame count so far, the n of reservoir sampling. rng
// nil means a randomly seeded generator.
func NewSet(cfg Config, stored []store.Exemplar, hourly map[int]store.Hourly,
	seen map[int]uint64, rng *rand.Rand) *Set {
	if rng == nil {
		rng = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	s := &Set{cfg: cfg.WithDefaults(), rng: rng, clusters: map[int][]store.Exemplar{},
		seen: map[int]uint64{}, hourly: map[int]store.Hourly{}}
	s.clearChanges()
	for _, e := range stored {
		s.clusters[e.Cluster] = append(s.clusters[e.Cluster], e)
		s.bytes += Size(e)
	}
	for id, h := range hourly {
		s.hourly[id] = h
	}
	for id, n := range seen {
		s.seen[id] = n
	}
	return s
}

func (s *Set) clearChanges() {
	s.put = map[store.ExemplarKey]store.Exemplar{}
	s.deleted = map[store.ExemplarKey]bool{}
	s.hourDirty = map[int]bool{}
	if s.unsent == nil {
		s.unsent = map[store.ExemplarKey]bool{}
	}
}

// Size returns the bytes an exemplar counts against the budget: its
// thumbnail and its half-precision embedding.
func Size(e store.Exemplar) int64 {
	return int64(len(e.JPEG) + 2*len(e.Vector))
}

// Config returns the Set's configuration with defaults applied.
func (s *Set) Config() Config { return s.cfg }

// Bytes returns the bytes of all exemplars held, as Size counts them.
func (s *Set) Bytes() int64 { return s.bytes }

// Len returns the number of exemplars held.
func (s *Set) Len() int {
	n := 0
	for _, list := range s.clusters {
		n += len(list)
	}
	return n
}
