package hub

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"time"

	"github.com/edgecluster/edgecluster/sync/hub/kv"

	"github.com/edgecluster/edgecluster/sync/wire"
)

var devicesBucket = []byte("devices")

// ErrNotFound is returned for a device the hub has not heard from.
var ErrNotFound = errors.New("hub: device not found")

// Device is the hub's record of one device, apart from its history.
type Device struct {
	ID string `json:"id"`

	// LastSeen is when the hub last received any message from the device:
	// a summary, event, status, command reply or exemplars.
	LastSeen time.Time     `json:"last_seen"`
	Status   *wire.Status  `json:"status,omitempty"`
	Summary  *wire.Summary `json:"summary,omitempty"` // highest sequence number

	// Epoch names the device's current state file; Summaries and Events
	// count within it.
	Epoch string `json:"epoch,omitempty"`

	// Summaries and Events track the stored history of each kind.
	Summaries Sequence `json:"summaries"`
	Events    Sequence `json:"events"`

	// ResetFrame is the first frame id after the latest reset event of the
	// epoch. Exemplars of lower frame ids show clusters from before it, so
	// the hub does not store them as current ones.
	ResetFrame uint64 `json:"reset_frame,omitempty"`
}

// store keeps one JSON Device per key in the devices bucket of a bbolt
// file or a PostgreSQL database.
type store struct {
	db      kv.DB
	decoded *decodedExemplars
}

// openStore opens the PostgreSQL database of opts.Store, or the bbolt
// file at opts.StatePath when Store is "".
func openStore(opts Options, log *slog.Logger) (*store, error) {
	var db kv.DB
	var err error
	if opts.Store != "" {
		db, err = kv.OpenPostgres(opts.Store, kv.PostgresOptions{Logger: log})
	} else {
		db, err = kv.OpenBolt(opts.StatePath)
	}
	if err != nil {
		return nil, fmt.Errorf("hub: open state: %w", err)
	}
	err = db.Update(func(tx kv.Tx) error {
		for _, name := range [][]byte{devicesBucket, labelsBucket, historyBucket,
			sessionsBucket, exemplarsBucket} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("hub: create buckets: %w", err)
	}
	return &store{db: db, decoded: newDecodedExemplars()}, nil
}

// update applies fn to the stored device id (a new one if absent) and
// writes the result back in the same transaction as fn's own writes.
func (s *store) update(id string, fn func(tx kv.Tx, d *Device) error) error {
	return s.db.Update(func(tx kv.Tx) error {
		b := tx.Bucket(devicesBucket)
		d := Device{ID: id}
		if v := b.Get([]byte(id)); v != nil {
			if err := json.Unmarshal(v, &d); err != nil {
				return fmt.Errorf("hub: stored device %s: %w", id, err)
			}
		}
		if err := fn(tx, &d); err != nil {
			return err
		}
		v, err := json.Marshal(d)
		if err != nil {
			return err
		}
		return b.Put([]byte(id), v)
	})
}

// touch sets the last-seen time of a known device to at. A device the hub
// has no record of is left out, so that a stray reply creates no row.
func (s *store) touch(id string, at time.Time) error {
	err := s.db.Update(func(tx kv.Tx) error {
		b := tx.Bucket(devicesBucket)
		v := b.Get([]byte(id))
		if v == nil {
			return nil
		}
		var d Device
		if err := json.Unmarshal(v, &d); err != nil {
			return fmt.Errorf("hub: stored device %s: %w", id, err)
		}
		d.LastSeen = at
		v, err := json.Marshal(d)
		if err != nil {
			return err
		}
		return b.Put([]byte(id), v)
	})
	if err != nil {
		return fmt.Errorf("hub: update last seen of %s: %w", id, err)
	}
	return nil
}

// device returns the stored device id.
func (s *store) device(id string) (Device, error) {
	var d Device
	err := s.db.View(func(tx kv.Tx) error {
		v := tx.Bucket(devicesBucket).Get([]byte(id))
		if v == nil {
			return fmt.Errorf("%w: %q", ErrNotFound, id)
		}
		return json.Unmarshal(v, &d)
	})
	return d, err
}

// devices returns every stored device sorted by id.
func (s *store) devices() ([]Device, error) {
	var out []Device
	err := s.db.View(func(tx kv.Tx) error {
		return tx.Bucket(devicesBucket).ForEach(func(k, v []byte) error {
			var d Device
			if err := json.Unmarshal(v, &d); err != nil {
				return fmt.Errorf("hub: stored device %s: %w", k, err)
			}
			out = append(out, d)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}

func (s *store) close() error { return s.db.Close() }
