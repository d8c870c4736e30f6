package kv

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// pgTx is one PostgreSQL transaction. The first failed statement aborts
// the transaction in PostgreSQL, so pgTx keeps that error in err, turns
// every later call into a no-op and makes Update or View return it.
type pgTx struct {
	ctx      context.Context
	tx       pgx.Tx
	writable bool
	err      error
	known    map[string]bool // bucket paths seen to exist in this transaction
}

func (t *pgTx) fail(err error) error {
	if t.err == nil {
		t.err = fmt.Errorf("kv: %w", err)
	}
	return t.err
}

func (t *pgTx) exec(sql string, args ...any) error {
	if t.err != nil {
		return t.err
	}
	if _, err := t.tx.Exec(t.ctx, sql, args...); err != nil {
		return t.fail(err)
	}
	return nil
}

// childPath returns the path of the bucket name inside the bucket at path.
func childPath(path, name []byte) []byte {
	out := make([]byte, 0, len(path)+binary.MaxVarintLen64+len(name))
	out = append(out, path...)
	out = binary.AppendUvarint(out, uint64(len(name)))
	return append(out, name...)
}

// prefixEnd returns the smallest byte string above every string that
// starts with prefix, or nil when there is none (prefix is all 0xff).
func prefixEnd(prefix []byte) []byte {
	end := append([]byte(nil), prefix...)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// bucket returns the bucket at path, or nil if it does not exist. After a
// failed query it returns a bucket anyway, whose calls do nothing, so that
// callers expecting a bucket do not dereference nil.
func (t *pgTx) bucket(path []byte) Bucket {
	b := &pgBucket{tx: t, path: path}
	if t.err != nil || t.known[string(path)] {
		return b
	}
	var exists int
	err := t.tx.QueryRow(t.ctx, "SELECT 1 FROM edgecluster_kv_buckets WHERE path = $1",
		path).Scan(&exists)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		t.fail(err)
		return b
	}
	t.known[string(path)] = true
	return b
}

func (t *pgTx) createBucket(path []byte) (Bucket, error) {
	if !t.writable {
		return nil, ErrTxNotWritable
	}
	if !t.known[string(path)] {
		err := t.exec("INSERT INTO edgecluster_kv_buckets (path) VALUES ($1) "+
			"ON CONFLICT DO NOTHING", path)
		if err != nil {
			return nil, err
		}
		t.known[string(path)] = true
	}
	return &pgBucket{tx: t, path: path}, nil
}

func (t *pgTx) Bucket(name []byte) Bucket { return t.bucket(childPath(nil, name)) }

func (t *pgTx) CreateBucketIfNotExists(name []byte) (Bucket, error) {
	return t.createBucket(childPath(nil, name))
}

// MoveBucket renames the paths of child and of everything nested in it.
func (t *pgTx) MoveBucket(child []byte, src, dst Bucket) error {
	if !t.writable {
		return ErrTxNotWritable
	}
	from := childPath(src.(*pgBucket).path, child)
	to := childPath(dst.(*pgBucket).path, child)
	if t.bucket(from) == nil {
		return fmt.Errorf("%w: %q", ErrBucketNotFound, child)
	}
	if t.bucket(to) != nil && t.err == nil {
		return fmt.Errorf("%w: %q", ErrBucketExists, child)
	}
	t.moveRows("edgecluster_kv_buckets", "path", from, to)
	t.moveRows("edgecluster_kv", "bucket", from, to)
	clear(t.known)
	return t.err
}

// moveRows replaces the prefix from of column by to in every row whose
// column starts with from.
func (t *pgTx) moveRows(table, column string, from, to []byte) {
	where, args := prefixCondition(column, from, []any{to, len(from) + 1})
	t.exec(fmt.Sprintf("UPDATE %[1]s SET %[2]s = $1::bytea || substring(%[2]s from $2::int) "+
		"WHERE %[3]s", table, column, where), args...)
}

// prefixCondition returns an SQL condition that column starts with
// prefix, with its parameters appended to args. It compares with a range
// so that the primary key index finds the rows.
func prefixCondition(column string, prefix []byte, args []any) (string, []any) {
	args = append(args, prefix)
	where := fmt.Sprintf("%s >= $%d::bytea", column, len(args))
	if end := prefixEnd(prefix); end != nil {
		args = append(args, end)
		where += fmt.Sprintf(" AND %s < $%d::bytea", column, len(args))
	}
	return where, args
}

func (t *pgTx) DeleteBucket(name []byte) error { return t.deleteBucket(childPath(nil, name)) }

// deleteBucket deletes the bucket at path and every bucket and pair
// nested in it.
func (t *pgTx) deleteBucket(path []byte) error {
	if !t.writable {
		return ErrTxNotWritable
	}
	if t.bucket(path) == nil {
		return ErrBucketNotFound
	}
	for table, column := range map[string]string{"edgecluster_kv_buckets": "path",
		"edgecluster_kv": "bucket"} {
		where, args := prefixCondition(column, path, nil)
		t.exec("DELETE FROM "+table+" WHERE "+where, args...)
	}
	clear(t.known)
	return t.err
}
