package uplink

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// DefaultMaxMessages is the outbox capacity used when Options.MaxMessages is 0.
const DefaultMaxMessages = 10000

var outboxBucket = []byte("outbox")

// ErrCorruptMessage marks an outbox entry that cannot be decoded.
var ErrCorruptMessage = errors.New("uplink: corrupt outbox entry")

// Message is one queued publication.
type Message struct {
	Topic    string
	Payload  []byte
	Retained bool
}

// outbox is a FIFO of messages in a bbolt bucket, keyed by a big-endian
// sequence so that cursor order is queue order.
type outbox struct {
	db    *bolt.DB
	max   int
	mu    sync.Mutex // serialises push and remove so count stays exact
	count int
}

func openOutbox(db *bolt.DB, max int) (*outbox, error) {
	if max <= 0 {
		max = DefaultMaxMessages
	}
	o := &outbox{db: db, max: max}
	err := db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(outboxBucket)
		if err == nil {
			o.count = b.Stats().KeyN
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("uplink: create outbox: %w", err)
	}
	return o, nil
}

// push stores m and returns how many of the oldest messages were dropped to
// stay within capacity.
func (o *outbox) push(m Message) (dropped int, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	err = o.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(outboxBucket)
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		if err := b.Put(key(seq), encodeMessage(m)); err != nil {
			return err
		}
		dropped, err = trim(b, o.count+1-o.max)
		return err
	})
	if err == nil {
		o.count += 1 - dropped
	}
	return dropped, err
}

// trim deletes the excess oldest entries.
func trim(b *bolt.Bucket, excess int) (int, error) {
	dropped := 0
	c := b.Cursor()
	for k, _ := c.First(); k != nil && dropped < excess; k, _ = c.First() {
		if err := c.Delete(); err != nil {
			return dropped, err
		}
		dropped++
	}
	return dropped, nil
}

// peek returns the oldest message and its key, or a nil key when empty.
func (o *outbox) peek() (k []byte, m Message, err error) {
	err = o.db.View(func(tx *bolt.Tx) error {
		ck, v := tx.Bucket(outboxBucket).Cursor().First()
		if ck == nil {
			return nil
		}
		k = append([]byte(nil), ck...)
		m, err = decodeMessage(v)
		return err
	})
	return k, m, err
}

// remove deletes the entry with key k.
func (o *outbox) remove(k []byte) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	found := false
	err := o.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(outboxBucket)
		found = b.Get(k) != nil
		return b.Delete(k)
	})
	if err == nil && found {
		o.count--
	}
	return err
}

// len returns the number of queued messages.
func (o *outbox) len() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.count
}

func key(seq uint64) []byte {
	return binary.BigEndian.AppendUint64(nil, seq)
}

// encodeMessage lays out a message as flags(1) topicLen(2) topic payload.
func encodeMessage(m Message) []byte {
	buf := make([]byte, 0, 3+len(m.Topic)+len(m.Payload))
	flags := byte(0)
	if m.Retained {
		flags = 1
	}
	buf = append(buf, flags)
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(m.Topic)))
	buf = append(buf, m.Topic...)
	return append(buf, m.Payload...)
}

func decodeMessage(v []byte) (Message, error) {
	if len(v) < 3 {
		return Message{}, fmt.Errorf("%w: %d bytes", ErrCorruptMessage, len(v))
	}
	n := int(binary.BigEndian.Uint16(v[1:3]))
	if 3+n > len(v) {
		return Message{}, fmt.Errorf("%w: topic length %d past end", ErrCorruptMessage, n)
	}
	return Message{
		Retained: v[0]&1 == 1,
		Topic:    string(v[3 : 3+n]),
		Payload:  append([]byte(nil), v[3+n:]...),
	}, nil
}
