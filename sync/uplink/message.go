package uplink

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Flag bits of an encoded message.
const (
	flagRetained = 1 << 0
	flagSeq      = 1 << 1

	// flagExpendable marks a message dropped first when the outbox is full.
	flagExpendable = 1 << 2
)

// expendable reports whether the encoded message v is expendable.
func expendable(v []byte) bool {
	return len(v) > 0 && v[0]&flagExpendable != 0
}

// encodeMessage lays out a message as flags(1) [seq(8)] topicLen(2) topic
// payload. The seq field is present when flagSeq is set, so entries written
// before it existed still decode.
func encodeMessage(m Message) []byte {
	buf := make([]byte, 0, 11+len(m.Topic)+len(m.Payload))
	flags := byte(0)
	if m.Retained {
		flags |= flagRetained
	}
	if m.Seq != 0 {
		flags |= flagSeq
	}
	if m.Expendable {
		flags |= flagExpendable
	}
	buf = append(buf, flags)
	if m.Seq != 0 {
		buf = binary.BigEndian.AppendUint64(buf, m.Seq)
	}
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(m.Topic)))
	buf = append(buf, m.Topic...)
	return append(buf, m.Payload...)
}

func decodeMessage(v []byte) (Message, error) {
	if len(v) < 3 {
		return Message{}, fmt.Errorf("%w: %d bytes", ErrCorruptMessage, len(v))
	}
	m := Message{Retained: v[0]&flagRetained != 0, Expendable: expendable(v)}
	rest := v[1:]
	if v[0]&flagSeq != 0 {
		if len(rest) < 10 {
			return Message{}, fmt.Errorf("%w: %d bytes with sequence flag", ErrCorruptMessage,
				len(v))
		}
		m.Seq = binary.BigEndian.Uint64(rest)
		rest = rest[8:]
	}
	n := int(binary.BigEndian.Uint16(rest))
	if 2+n > len(rest) {
		return Message{}, fmt.Errorf("%w: topic length %d past end", ErrCorruptMessage, n)
	}
	m.Topic = string(rest[2 : 2+n])
	m.Payload = append([]byte(nil), rest[2+n:]...)
	return m, nil
}

// resend queues again every acknowledged message on topic whose Seq is at
// least from, oldest first. It returns how many were queued and the lowest
// Seq still kept for topic (0 when none is kept).
func (o *outbox) resend(topic string, from uint64) (queued int, oldest uint64, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()

	q := o.queue
	err = o.db.Update(func(tx *bolt.Tx) error {
		var again [][]byte
		err := tx.Bucket(sentBucket).ForEach(func(_, v []byte) error {
			m, err := decodeMessage(v)
			if err != nil || m.Topic != topic || m.Seq == 0 {
				return nil
			}
			if oldest == 0 || m.Seq < oldest {
				oldest = m.Seq
			}
			if m.Seq >= from {
				again = append(again, append([]byte(nil), v...))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, v := range again {
			if err := q.put(tx, v); err != nil {
				return err
			}
		}
		queued = len(again)
		_, err = o.trimQueue(tx, &q)
		return err
	})
	if err == nil {
		o.queue = q
	}
	return queued, oldest, err
}
