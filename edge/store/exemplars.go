package store

import (
	"encoding/binary"
	"fmt"
	"math"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/edgecluster/edgecluster/internal/half"
)

// Exemplar is a stored sample frame of a cluster: its frame id and time,
// its embedding and a small JPEG thumbnail.
type Exemplar struct {
	Cluster int
	Frame   uint64
	Time    time.Time

	// Vector is the frame's embedding. It is stored in half precision, so
	// a loaded vector keeps about three significant digits.
	Vector []float32

	// JPEG is the thumbnail.
	JPEG []byte
}

// ExemplarKey names one stored exemplar of a space.
type ExemplarKey struct {
	Cluster int
	Frame   uint64
}

// Key returns the key of e.
func (e Exemplar) Key() ExemplarKey { return ExemplarKey{e.Cluster, e.Frame} }

// Changes lists exemplar and hourly count updates that CommitChanges writes
// in the same transaction as the cluster state. The zero value changes
// nothing.
type Changes struct {
	// Put stores exemplars, replacing those with the same key.
	Put []Exemplar

	// Delete removes exemplars. Missing keys are ignored.
	Delete []ExemplarKey

	// Hourly replaces the hourly counts of each cluster it lists. A nil or
	// empty series removes the cluster's counts.
	Hourly map[int]Hourly

	// Reduction, when not nil, replaces the encoded state of the dimension
	// reduction in front of the space's clusters. Nil leaves it as it is, so
	// a caller whose reduction no longer changes need not rewrite it.
	Reduction []byte
}

// Hourly maps the start of a UTC hour, in hours since the Unix epoch, to
// the number of frames counted in that hour.
type Hourly map[int64]uint64

// exemplarEncoding is the first byte of a stored exemplar value.
const exemplarEncoding = 1

// exemplarHeader is the fixed part of a stored exemplar value: encoding,
// time in Unix nanoseconds and vector length.
const exemplarHeader = 1 + 8 + 4

func exemplarKey(k ExemplarKey) ([]byte, error) {
	if k.Cluster < 0 || uint64(k.Cluster) > math.MaxUint32 {
		return nil, fmt.Errorf("%w: cluster id %d outside [0, %d]", ErrInvalidKey, k.Cluster,
			uint32(math.MaxUint32))
	}
	key := binary.BigEndian.AppendUint32(nil, uint32(k.Cluster))
	return binary.BigEndian.AppendUint64(key, k.Frame), nil
}

func encodeExemplar(e Exemplar) []byte {
	v := make([]byte, exemplarHeader, exemplarHeader+2*len(e.Vector)+len(e.JPEG))
	v[0] = exemplarEncoding
	binary.BigEndian.PutUint64(v[1:], uint64(e.Time.UnixNano()))
	binary.BigEndian.PutUint32(v[9:], uint32(len(e.Vector)))
	for _, x := range e.Vector {
		v = binary.LittleEndian.AppendUint16(v, half.FromFloat32(x))
	}
	return append(v, e.JPEG...)
}

func decodeExemplar(key, v []byte) (Exemplar, error) {
	if len(key) != 12 {
		return Exemplar{}, fmt.Errorf("%w: exemplar key has %d bytes, want 12", ErrCorrupt,
			len(key))
	}
	e := Exemplar{Cluster: int(binary.BigEndian.Uint32(key)),
		Frame: binary.BigEndian.Uint64(key[4:])}
	if len(v) < exemplarHeader || v[0] != exemplarEncoding {
		return Exemplar{}, fmt.Errorf("%w: exemplar %d/%d has no valid header", ErrCorrupt,
			e.Cluster, e.Frame)
	}
	e.Time = time.Unix(0, int64(binary.BigEndian.Uint64(v[1:]))).UTC()
	dims := uint64(binary.BigEndian.Uint32(v[9:]))
	rest := v[exemplarHeader:]
	if 2*dims > uint64(len(rest)) {
		return Exemplar{}, fmt.Errorf("%w: exemplar %d/%d vector of %d values exceeds %d bytes",
			ErrCorrupt, e.Cluster, e.Frame, dims, len(rest))
	}
	e.Vector = make([]float32, dims)
	for i := range e.Vector {
		e.Vector[i] = half.ToFloat32(binary.LittleEndian.Uint16(rest[2*i:]))
	}
	e.JPEG = copyBytes(rest[2*dims:])
	return e, nil
}

// Exemplars returns the stored exemplars of space ordered by cluster, then
// frame.
func (s *Store) Exemplars(space string) ([]Exemplar, error) {
	if space == "" {
		return nil, fmt.Errorf("%w: empty space", ErrInvalidKey)
	}
	var out []Exemplar
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketExemplars).Bucket([]byte(space))
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			e, err := decodeExemplar(k, v)
			out = append(out, e)
			return err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: load exemplars of space %q: %w", space, err)
	}
	return out, nil
}

// HourlyCounts returns the stored hourly counts of space by cluster id.
func (s *Store) HourlyCounts(space string) (map[int]Hourly, error) {
	if space == "" {
		return nil, fmt.Errorf("%w: empty space", ErrInvalidKey)
	}
	out := map[int]Hourly{}
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketHourly).Bucket([]byte(space))
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			id, h, err := decodeHourly(k, v)
			out[id] = h
			return err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: load hourly counts of space %q: %w", space, err)
	}
	return out, nil
}

// DropExemplars deletes the exemplars of space and returns how many bytes
// of thumbnails they held. Hourly counts stay, like the space's clusters.
func (s *Store) DropExemplars(space string) (int64, error) {
	if space == "" {
		return 0, fmt.Errorf("%w: empty space", ErrInvalidKey)
	}
	var freed int64
	err := s.db.Update(func(tx *bolt.Tx) error {
		parent := tx.Bucket(bucketExemplars)
		b := parent.Bucket([]byte(space))
		if b == nil {
			return nil
		}
		_ = b.ForEach(func(_, v []byte) error {
			freed += int64(len(v))
			return nil
		})
		return parent.DeleteBucket([]byte(space))
	})
	return freed, err
}

// writeChanges applies c to space inside tx.
func writeChanges(tx *bolt.Tx, space []byte, c Changes) error {
	if len(c.Put)+len(c.Delete) > 0 {
		b, err := tx.Bucket(bucketExemplars).CreateBucketIfNotExists(space)
		if err != nil {
			return err
		}
		if err := writeExemplars(b, c); err != nil {
			return err
		}
	}
	if len(c.Hourly) == 0 {
		return nil
	}
	b, err := tx.Bucket(bucketHourly).CreateBucketIfNotExists(space)
	if err != nil {
		return err
	}
	return writeHourly(b, c.Hourly)
}

func writeExemplars(b *bolt.Bucket, c Changes) error {
	for _, k := range c.Delete {
		key, err := exemplarKey(k)
		if err != nil {
			return err
		}
		if err := b.Delete(key); err != nil {
			return err
		}
	}
	for _, e := range c.Put {
		key, err := exemplarKey(e.Key())
		if err != nil {
			return err
		}
		if err := b.Put(key, encodeExemplar(e)); err != nil {
			return err
		}
	}
	return nil
}

func writeHourly(b *bolt.Bucket, series map[int]Hourly) error {
	for id, h := range series {
		key, err := exemplarKey(ExemplarKey{Cluster: id})
		if err != nil {
			return err
		}
		key = key[:4]
		if len(h) == 0 {
			err = b.Delete(key)
		} else {
			err = b.Put(key, encodeHourly(h))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// encodeHourly writes (hour, count) pairs as big-endian int64 and uint64.
func encodeHourly(h Hourly) []byte {
	v := make([]byte, 0, 16*len(h))
	for hour, n := range h {
		v = binary.BigEndian.AppendUint64(v, uint64(hour))
		v = binary.BigEndian.AppendUint64(v, n)
	}
	return v
}

func decodeHourly(k, v []byte) (int, Hourly, error) {
	if len(k) != 4 || len(v)%16 != 0 {
		return 0, nil, fmt.Errorf("%w: hourly counts key of %d bytes, value of %d bytes",
			ErrCorrupt, len(k), len(v))
	}
	h := Hourly{}
	for i := 0; i < len(v); i += 16 {
		h[int64(binary.BigEndian.Uint64(v[i:]))] = binary.BigEndian.Uint64(v[i+8:])
	}
	return int(binary.BigEndian.Uint32(k)), h, nil
}
