package hub

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	"github.com/edgecluster/edgecluster/sync/hub/kv"
)

var historyBucket = []byte("history")

// Sequence tracks what the hub holds of one numbered message kind of one
// device. Sequence numbers start at 1.
type Sequence struct {
	// Stored counts messages kept in the history.
	Stored uint64 `json:"stored"`

	// Max is the highest sequence number stored.
	Max uint64 `json:"max"`

	// Next is the lowest sequence number neither stored nor given up as
	// lost: everything below it is accounted for.
	Next uint64 `json:"next"`

	// Duplicates counts messages dropped because their number was stored.
	Duplicates uint64 `json:"duplicates"`

	// OutOfOrder counts messages stored after a higher number.
	OutOfOrder uint64 `json:"out_of_order"`

	// Gaps counts arrivals that skipped numbers not yet received.
	Gaps uint64 `json:"gaps"`

	// Lost counts numbers the device no longer keeps, so a resync cannot
	// bring them back.
	Lost uint64 `json:"lost"`
}

// Missing reports whether numbers below Max have not arrived yet.
func (s Sequence) Missing() bool { return s.Max >= s.next() }

func (s Sequence) next() uint64 { return max(s.Next, 1) }

// record stores payload under (device, kind, seq) unless it is there, and
// updates seq state. It reports whether the payload was new.
func (st *store) record(tx kv.Tx, device, kind string, seq uint64, payload []byte,
	state *Sequence) (bool, error) {
	b, err := historyOf(tx, device, kind)
	if err != nil {
		return false, err
	}
	k := seqKey(seq)
	if b.Get(k) != nil {
		state.Duplicates++
		return false, nil
	}
	if err := b.Put(k, payload); err != nil {
		return false, err
	}
	state.Stored++
	if seq < state.Max {
		state.OutOfOrder++
	}
	if seq > state.next() && seq > state.Max+1 {
		state.Gaps++
	}
	state.Max = max(state.Max, seq)
	advance(b, state)
	return true, nil
}

// advance moves Next past every stored number.
func advance(b kv.Bucket, state *Sequence) {
	state.Next = state.next()
	for state.Next <= state.Max && b.Get(seqKey(state.Next)) != nil {
		state.Next++
	}
}

// giveUp marks the numbers from Next up to limit (exclusive) that are not
// stored as lost, because the device no longer keeps them.
func giveUp(b kv.Bucket, state *Sequence, limit uint64) {
	for n := state.next(); n < limit && n <= state.Max; n++ {
		if b.Get(seqKey(n)) == nil {
			state.Lost++
		}
	}
	if limit > state.next() {
		state.Next = limit
	}
	advance(b, state)
}

func historyOf(tx kv.Tx, device, kind string) (kv.Bucket, error) {
	devs, err := tx.Bucket(historyBucket).CreateBucketIfNotExists([]byte(device))
	if err != nil {
		return nil, err
	}
	return devs.CreateBucketIfNotExists([]byte(kind))
}

func seqKey(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }

// history returns up to limit stored payloads of (device, kind) with
// sequence numbers from from on, in sequence order.
func (st *store) history(device, kind string, from uint64, limit int) ([]json.RawMessage, error) {
	out := []json.RawMessage{}
	err := st.db.View(func(tx kv.Tx) error {
		devs := tx.Bucket(historyBucket).Bucket([]byte(device))
		if devs == nil || devs.Bucket([]byte(kind)) == nil {
			return nil
		}
		c := devs.Bucket([]byte(kind)).Cursor()
		for k, v := c.Seek(seqKey(from)); k != nil && len(out) < limit; k, v = c.Next() {
			out = append(out, append(json.RawMessage(nil), v...))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("hub: read history of %s: %w", device, err)
	}
	return out, nil
}

// seqs returns every stored sequence number of (device, kind) in order.
func (st *store) seqs(device, kind string) ([]uint64, error) {
	var out []uint64
	err := st.db.View(func(tx kv.Tx) error {
		devs := tx.Bucket(historyBucket).Bucket([]byte(device))
		if devs == nil || devs.Bucket([]byte(kind)) == nil {
			return nil
		}
		return devs.Bucket([]byte(kind)).ForEach(func(k, _ []byte) error {
			out = append(out, binary.BigEndian.Uint64(k))
			return nil
		})
	})
	return out, err
}
