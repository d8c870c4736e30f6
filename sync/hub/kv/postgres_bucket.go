package kv

import (
	"errors"
	"fmt"
	"slices"

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

func (b *pgBucket) DeleteBucket(name []byte) error {
	return b.tx.deleteBucket(childPath(b.path, name))
}

// nonNil turns nil into an empty slice, because pgx sends nil as NULL.
func nonNil(p []byte) []byte {
	if p == nil {
		return []byte{}
	}
	return p
}

// pgCursor reads the bucket in batches of cursorBatch pairs. A batch is
// kept in ascending key order whichever way it was read.
type pgCursor struct {
	b    *pgBucket
	keys [][]byte
	vals [][]byte
	i    int

	// first and last report that the batch starts at the bucket's first
	// key or ends at its last key.
	first, last bool
}

func (c *pgCursor) First() ([]byte, []byte) {
	c.load(">=", []byte{}, true)
	c.first = true
	return c.at(0)
}

func (c *pgCursor) Last() ([]byte, []byte) {
	c.load("", nil, false)
	c.last = true
	return c.at(len(c.keys) - 1)
}

func (c *pgCursor) Seek(seek []byte) ([]byte, []byte) {
	c.load(">=", nonNil(seek), true)
	return c.at(0)
}

func (c *pgCursor) Next() ([]byte, []byte) {
	switch {
	case c.keys == nil:
		return c.First()
	case c.i+1 < len(c.keys):
		return c.at(c.i + 1)
	case c.last || len(c.keys) == 0:
		c.i = len(c.keys)
		return nil, nil
	}
	c.load(">", c.keys[len(c.keys)-1], true)
	return c.at(0)
}

func (c *pgCursor) Prev() ([]byte, []byte) {
	switch {
	case c.keys == nil:
		return c.Last()
	case c.i-1 >= 0 && c.i-1 < len(c.keys):
		return c.at(c.i - 1)
	case c.first || len(c.keys) == 0:
		c.i = -1
		return nil, nil
	}
	c.load("<", c.keys[0], false)
	return c.at(len(c.keys) - 1)
}

// at moves to pair i of the batch, or to the end when there is none.
func (c *pgCursor) at(i int) ([]byte, []byte) {
	c.i = i
	if i < 0 || i >= len(c.keys) {
		return nil, nil
	}
	return c.keys[i], c.vals[i]
}

// load reads the batch of pairs whose keys compare as op with from, in
// ascending order when up is true and otherwise the batch just below
// from. An empty op reads the highest keys.
func (c *pgCursor) load(op string, from []byte, up bool) {
	c.keys, c.vals, c.first, c.last = [][]byte{}, nil, false, false
	t := c.b.tx
	if t.err != nil {
		return
	}
	sql, args := "SELECT key, value FROM edgecluster_kv WHERE bucket = $1", []any{c.b.path}
	if op != "" {
		sql += " AND key " + op + " $2"
		args = append(args, from)
	}
	order := " ORDER BY key DESC"
	if up {
		order = " ORDER BY key"
	}
	rows, err := t.tx.Query(t.ctx, sql+order+fmt.Sprintf(" LIMIT %d", cursorBatch), args...)
	if err != nil {
		t.fail(err)
		return
	}
	c.readRows(rows)
	full := len(c.keys) == cursorBatch
	if up {
		c.last = !full
		return
	}
	slices.Reverse(c.keys)
	slices.Reverse(c.vals)
	c.first = !full
}

func (c *pgCursor) readRows(rows pgx.Rows) {
	defer rows.Close()
	for rows.Next() {
		var k, v []byte
		if err := rows.Scan(&k, &v); err != nil {
			c.b.tx.fail(err)
			return
		}
		c.keys, c.vals = append(c.keys, k), append(c.vals, v)
	}
	if err := rows.Err(); err != nil {
		c.b.tx.fail(err)
	}
}
