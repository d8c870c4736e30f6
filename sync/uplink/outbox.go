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
	db       *bolt.DB
	queue    fifo
	sent     fifo
	mu       sync.Mutex // serialises every update so the counts stay exact
	dropped  uint64     // messages dropped for space since the state file was made
	maxBytes int64
}

// fifo tracks the size of one bucket against its limits.
type fifo struct {
	name     []byte
	maxCount int
	maxBytes int64
	count    int
	bytes    int64
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
		if v := meta.Get(droppedKey); err == nil && len(v) == 8 {
			o.dropped = binary.BigEndian.Uint64(v)
		}
		return err
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
		f.count++
		f.bytes += int64(len(k) + len(v))
		return nil
	})
}

// push stores m at the tail and returns how many of the oldest messages
// were dropped to stay within the limits.
func (o *outbox) push(m Message) (dropped int, err error) {
	v := encodeMessage(m)
	if int64(len(v)+8) > o.maxBytes {
		return 0, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(v)+8, o.maxBytes)
	}
	o.mu.Lock()
	defer o.mu.Unlock()

	q := o.queue
	err = o.db.Update(func(tx *bolt.Tx) error {
		if err := q.put(tx, v); err != nil {
			return err
		}
		dropped, err = q.trim(tx)
		if err != nil || dropped == 0 {
			return err
		}
		return o.countDropped(tx, uint64(dropped))
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
	if err := b.Put(key(seq), v); err != nil {
		return err
	}
	f.count++
	f.bytes += int64(8 + len(v))
	return nil
}

// trim deletes the oldest entries until the bucket is within its limits.
func (f *fifo) trim(tx *bolt.Tx) (int, error) {
	dropped := 0
	c := tx.Bucket(f.name).Cursor()
	for k, v := c.First(); k != nil && f.over(); k, v = c.First() {
		size := int64(len(k) + len(v))
		if err := c.Delete(); err != nil {
			return dropped, err
		}
		f.count--
		f.bytes -= size
		dropped++
	}
	return dropped, nil
}

func (f *fifo) over() bool {
	return f.count > f.maxCount || f.bytes > f.maxBytes
}

func (o *outbox) countDropped(tx *bolt.Tx, n uint64) error {
	total := o.dropped + n
	err := tx.Bucket(metaBucket).Put(droppedKey, binary.BigEndian.AppendUint64(nil, total))
	if err == nil {
		o.dropped = total
	}
	return err
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
	size := int64(len(k) + len(v))
	if err := b.Delete(k); err != nil {
		return err
	}
	f.count--
	f.bytes -= size
	return nil
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

func key(seq uint64) []byte {
	return binary.BigEndian.AppendUint64(nil, seq)
}
