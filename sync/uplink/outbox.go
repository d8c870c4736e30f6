package uplink

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// Default outbox limits, used when the matching Options field is 0.
const (
	DefaultMaxMessages = 10000
	DefaultMaxBytes    = 64 << 20
	DefaultKeepSent    = 1000
)

var (
	outboxBucket = []byte("outbox")
	sentBucket   = []byte("outbox-sent")
	metaBucket   = []byte("outbox-meta")
	droppedKey   = []byte("dropped")
	expendKey    = []byte("dropped-expendable")
)

// ErrCorruptMessage marks an outbox entry that cannot be decoded.
var ErrCorruptMessage = errors.New("uplink: corrupt outbox entry")

// ErrTooLarge is returned by Enqueue for a message larger than the outbox.
var ErrTooLarge = errors.New("uplink: message larger than the outbox byte limit")

// Message is one queued publication.
type Message struct {
	Topic    string
	Payload  []byte
	Retained bool

	// Seq is the payload's per-device sequence number, or 0 when it has
	// none. Resend finds sent messages by it.
	Seq uint64

	// Expendable marks a message the device can make again on request,
	// such as exemplar thumbnails. When the outbox is full, expendable
	// messages are dropped before any other, oldest first, and counted
	// apart in DroppedExpendable.
	Expendable bool
}

// entry is a message read from a bucket with its key.
type entry struct {
	key []byte
	msg Message
}

// outbox is a FIFO of messages in a bbolt bucket, keyed by a big-endian
// sequence so that cursor order is queue order. Acknowledged messages move
// to a second, smaller FIFO so that a resync can send them again.
type outbox struct {
	db                *bolt.DB
	queue             fifo
	sent              fifo
	mu                sync.Mutex // serialises every update so the counts stay exact
	dropped           uint64     // other messages dropped for space since the state file was made
	droppedExpendable uint64     // expendable messages dropped for space
	maxBytes          int64
}

// fifo tracks the size of one bucket against its limits.
type fifo struct {
	name            []byte
	maxCount        int
	maxBytes        int64
	count           int
	bytes           int64
	expendableCount int // expendable entries among count
}

func openOutbox(db *bolt.DB, maxCount int, maxBytes int64, keepSent int) (*outbox, error) {
	o := &outbox{db: db, maxBytes: maxBytes,
		queue: fifo{name: outboxBucket, maxCount: maxCount, maxBytes: maxBytes},
		sent:  fifo{name: sentBucket, maxCount: keepSent, maxBytes: maxBytes / 4}}
	err := db.Update(func(tx *bolt.Tx) error {
		for _, f := range []*fifo{&o.queue, &o.sent} {
			if err := f.load(tx); err != nil {
				return err
			}
		}
		meta, err := tx.CreateBucketIfNotExists(metaBucket)
		if err != nil {
			return err
		}
		o.dropped = counter(meta, droppedKey)
		o.droppedExpendable = counter(meta, expendKey)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("uplink: open outbox: %w", err)
	}
	return o, nil
}

// load creates the bucket if needed and measures what it holds.
func (f *fifo) load(tx *bolt.Tx) error {
	b, err := tx.CreateBucketIfNotExists(f.name)
	if err != nil {
		return err
	}
	return b.ForEach(func(k, v []byte) error {
		f.add(k, v, 1)
		return nil
	})
}

// add counts the entry k, v in (sign 1) or out (sign -1).
func (f *fifo) add(k, v []byte, sign int) {
	f.count += sign
	f.bytes += int64(sign * (len(k) + len(v)))
	if expendable(v) {
		f.expendableCount += sign
	}
}

// counter reads a big-endian count from meta, 0 when it is not there.
func counter(meta *bolt.Bucket, k []byte) uint64 {
	if v := meta.Get(k); len(v) == 8 {
		return binary.BigEndian.Uint64(v)
	}
	return 0
}

// push stores m at the tail and returns how many messages were dropped to
// stay within the limits: expendable ones first, then the oldest.
func (o *outbox) push(m Message) (dropped trimmed, err error) {
	v := encodeMessage(m)
	if int64(len(v)+8) > o.maxBytes {
		return trimmed{}, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(v)+8, o.maxBytes)
	}
	o.mu.Lock()
	defer o.mu.Unlock()

	q := o.queue
	err = o.db.Update(func(tx *bolt.Tx) error {
		if err := q.put(tx, v); err != nil {
			return err
		}
		dropped, err = o.trimQueue(tx, &q)
		return err
	})
	if err == nil {
		o.queue = q
	}
	return dropped, err
}

// put appends v under the bucket's next sequence.
func (f *fifo) put(tx *bolt.Tx, v []byte) error {
	b := tx.Bucket(f.name)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	k := key(seq)
	if err := b.Put(k, v); err != nil {
		return err
	}
	f.add(k, v, 1)
	return nil
}

// trimmed counts the entries one trim dropped.
type trimmed struct {
	other      int // messages that were not expendable
	expendable int
}

func (t trimmed) total() int { return t.other + t.expendable }

// trimQueue trims q, expendable entries first, and adds what it dropped to
// the stored counts.
func (o *outbox) trimQueue(tx *bolt.Tx, q *fifo) (trimmed, error) {
	var t trimmed
	var err error
	if t.expendable, err = q.trimExpendable(tx); err != nil {
		return t, err
	}
	if t.other, err = q.trim(tx); err != nil || t.total() == 0 {
		return t, err
	}
	return t, o.countDropped(tx, uint64(t.other), uint64(t.expendable))
}

// trimExpendable deletes expendable entries, oldest first, until the
// bucket is within its limits or holds none.
func (f *fifo) trimExpendable(tx *bolt.Tx) (int, error) {
	dropped := 0
	c := tx.Bucket(f.name).Cursor()
	for k, v := c.First(); k != nil && f.expendableCount > 0 && f.over(); {
		if !expendable(v) {
			k, v = c.Next()
			continue
		}
		at := append([]byte(nil), k...)
		f.add(k, v, -1)
		if err := c.Delete(); err != nil {
			return dropped, err
		}
		dropped++
		k, v = c.Seek(at)
	}
	return dropped, nil
}

// trim deletes the oldest entries until the bucket is within its limits.
func (f *fifo) trim(tx *bolt.Tx) (int, error) {
	dropped := 0
	c := tx.Bucket(f.name).Cursor()
	for k, v := c.First(); k != nil && f.over(); k, v = c.First() {
		f.add(k, v, -1)
		if err := c.Delete(); err != nil {
			return dropped, err
		}
		dropped++
	}
	return dropped, nil
}

func (f *fifo) over() bool {
	return f.count > f.maxCount || f.bytes > f.maxBytes
}

// countDropped adds the other and the expendable messages dropped to the
// stored counts.
func (o *outbox) countDropped(tx *bolt.Tx, other, expendable uint64) error {
	meta := tx.Bucket(metaBucket)
	dropped, droppedExp := o.dropped+other, o.droppedExpendable+expendable
	if err := meta.Put(droppedKey, binary.BigEndian.AppendUint64(nil, dropped)); err != nil {
		return err
	}
	if err := meta.Put(expendKey, binary.BigEndian.AppendUint64(nil, droppedExp)); err != nil {
		return err
	}
	o.dropped, o.droppedExpendable = dropped, droppedExp
	return nil
}

// peek returns up to n of the oldest messages with keys after the key
// after (from the start when after is nil). Entries that cannot be decoded
// are returned in bad so the caller can log and delete them.
func (o *outbox) peek(after []byte, n int) (good, bad []entry, err error) {
	err = o.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(outboxBucket).Cursor()
		k, v := c.First()
		if after != nil {
			k, v = c.Seek(after)
			if k != nil && string(k) == string(after) {
				k, v = c.Next()
			}
		}
		for ; k != nil && len(good) < n; k, v = c.Next() {
			m, err := decodeMessage(v)
			e := entry{key: append([]byte(nil), k...), msg: m}
			if err != nil {
				bad = append(bad, e)
				continue
			}
			good = append(good, e)
		}
		return nil
	})
	return good, bad, err
}

// ack moves the sent entries to the sent bucket in one transaction, and
// discards bad ones.
func (o *outbox) ack(sent, bad []entry) error {
	o.mu.Lock()
	defer o.mu.Unlock()

	q, s := o.queue, o.sent
	err := o.db.Update(func(tx *bolt.Tx) error {
		for _, e := range append(append([]entry(nil), sent...), bad...) {
			if err := q.remove(tx, e.key); err != nil {
				return err
			}
		}
		for _, e := range sent {
			if err := s.put(tx, encodeMessage(e.msg)); err != nil {
				return err
			}
		}
		_, err := s.trim(tx)
		return err
	})
	if err == nil {
		o.queue, o.sent = q, s
	}
	return err
}

// remove deletes the entry with key k if it is still there.
func (f *fifo) remove(tx *bolt.Tx, k []byte) error {
	b := tx.Bucket(f.name)
	v := b.Get(k)
	if v == nil {
		return nil
	}
	f.add(k, v, -1)
	return b.Delete(k)
}

// len returns the number of queued messages.
func (o *outbox) len() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.queue.count
}

// size returns the bytes that queued messages take, keys included.
func (o *outbox) size() int64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.queue.bytes
}

func (o *outbox) droppedTotal() uint64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.dropped
}

func (o *outbox) expendedTotal() uint64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.droppedExpendable
}

// discard deletes the queued expendable messages on topic and returns how
// many it deleted.
func (o *outbox) discard(topic string) (n int, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()

	q := o.queue
	err = o.db.Update(func(tx *bolt.Tx) error {
		n = 0
		c := tx.Bucket(outboxBucket).Cursor()
		for k, v := c.First(); k != nil && q.expendableCount > 0; {
			m, err := decodeMessage(v)
			if err != nil || !m.Expendable || m.Topic != topic {
				k, v = c.Next()
				continue
			}
			at := append([]byte(nil), k...)
			q.add(k, v, -1)
			if err := c.Delete(); err != nil {
				return err
			}
			n++
			k, v = c.Seek(at)
		}
		return nil
	})
	if err == nil {
		o.queue = q
	}
	return n, err
}

func key(seq uint64) []byte {
	return binary.BigEndian.AppendUint64(nil, seq)
}
