package kv

import (
	"errors"

	"github.com/jackc/pgx/v5"
)

// ErrKeyRequired is returned by Put for an empty or nil key, which bbolt
// rejects as well.
var ErrKeyRequired = errors.New("kv: key required")

// cursorBatch is how many pairs a cursor reads per query.
const cursorBatch = 256

type pgBucket struct {
	tx   *pgTx
	path []byte
}

func (b *pgBucket) Get(key []byte) []byte {
	t := b.tx
	if t.err != nil {
		return nil
	}
	var v []byte
	err := t.tx.QueryRow(t.ctx, "SELECT value FROM edgecluster_kv WHERE bucket = $1 AND key = $2",
		b.path, nonNil(key)).Scan(&v)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		t.fail(err)
	}
	return v
}

func (b *pgBucket) Put(key, value []byte) error {
	if !b.tx.writable {
		return ErrTxNotWritable
	}
	if len(key) == 0 {
		return ErrKeyRequired
	}
	return b.tx.exec("INSERT INTO edgecluster_kv (bucket, key, value) VALUES ($1, $2, $3) "+
		"ON CONFLICT (bucket, key) DO UPDATE SET value = EXCLUDED.value", b.path, key,
		nonNil(value))
}

func (b *pgBucket) Delete(key []byte) error {
	if !b.tx.writable {
		return ErrTxNotWritable
	}
	return b.tx.exec("DELETE FROM edgecluster_kv WHERE bucket = $1 AND key = $2", b.path,
		nonNil(key))
}

func (b *pgBucket) ForEach(fn func(k, v []byte) error) error {
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return b.tx.err
}

func (b *pgBucket) Cursor() Cursor { return &pgCursor{b: b} }

func (b *pgBucket) Bucket(name []byte) Bucket { return b.tx.bucket(childPath(b.path, name)) }

func (b *pgBucket) CreateBucketIfNotExists(name []byte) (Bucket, error) {
	return b.tx.createBucket(childPath(b.path, name))
}

// nonNil turns nil into an empty slice, because pgx sends nil as NULL.
func nonNil(p []byte) []byte {
	if p == nil {
		return []byte{}
	}
	return p
}

// pgCursor reads the bucket in batches of cursorBatch pairs.
type pgCursor struct {
	b     *pgBucket
	keys  [][]byte
	vals  [][]byte
	i     int
	final bool // the batch is the last one
}

func (c *pgCursor) First() ([]byte, []byte) { return c.load(">=", []byte{}) }

func (c *pgCursor) Seek(seek []byte) ([]byte, []byte) { return c.load(">=", nonNil(seek)) }

func (c *pgCursor) Next() ([]byte, []byte) {
	if c.keys == nil {
		return c.First()
	}
	c.i++
	if c.i < len(c.keys) {
		return c.keys[c.i], c.vals[c.i]
	}
	if c.final || len(c.keys) == 0 {
		return nil, nil
	}
	return c.load(">", c.keys[len(c.keys)-1])
}

// load reads the batch of pairs whose keys compare as op with from.
func (c *pgCursor) load(op string, from []byte) ([]byte, []byte) {
	c.keys, c.vals, c.i, c.final = [][]byte{}, nil, 0, true
	t := c.b.tx
	if t.err != nil {
		return nil, nil
	}
	rows, err := t.tx.Query(t.ctx, "SELECT key, value FROM edgecluster_kv WHERE bucket = $1 "+
		"AND key "+op+" $2 ORDER BY key LIMIT $3", c.b.path, from, cursorBatch)
	if err != nil {
		t.fail(err)
		return nil, nil
	}
	defer rows.Close()
	for rows.Next() {
		var k, v []byte
		if err := rows.Scan(&k, &v); err != nil {
			t.fail(err)
			return nil, nil
		}
		c.keys, c.vals = append(c.keys, k), append(c.vals, v)
	}
	if err := rows.Err(); err != nil {
		t.fail(err)
		return nil, nil
	}
	c.final = len(c.keys) < cursorBatch
	if len(c.keys) == 0 {
		return nil, nil
	}
	return c.keys[0], c.vals[0]
}
