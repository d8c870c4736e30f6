package kv

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Advisory lock keys, arbitrary constants shared by every hub instance.
const (
	writeLock  int64 = 0x6b76_7772 // held by each Update until it ends
	schemaLock int64 = 0x6b76_7363 // held while the tables are created
)

// maxAttempts bounds how often Update runs a transaction that failed with
// a serialization failure or a deadlock.
const maxAttempts = 5

// schema creates the two tables. A bucket is a path of names, each
// written as its uvarint length and its bytes, so that the paths of a
// bucket's nested buckets start with its own path.
const schema = `
CREATE TABLE IF NOT EXISTS edgecluster_kv_buckets (
	path bytea PRIMARY KEY
);
CREATE TABLE IF NOT EXISTS edgecluster_kv (
	bucket bytea NOT NULL,
	key    bytea NOT NULL,
	value  bytea NOT NULL,
	PRIMARY KEY (bucket, key)
)`

// PostgresOptions configures OpenPostgres. The zero value is ready to use.
type PostgresOptions struct {
	// Timeout bounds each transaction, including its wait for the write
	// lock. 0 means 30 s.
	Timeout time.Duration

	// Logger receives retries. Nil means slog.Default().
	Logger *slog.Logger
}

// pgDB is the PostgreSQL backend. Every Update takes one transaction-level
// advisory lock first, so writers from all processes run one at a time,
// as in bbolt. Under READ COMMITTED each statement after the lock sees
// every transaction committed before it, so no update is lost.
//
// TODO: one lock for all writers limits ingest to one transaction at a
// time across the hub instances; locks per device would let them overlap.
type pgDB struct {
	pool    *pgxpool.Pool
	log     *slog.Logger
	timeout time.Duration
}

// OpenPostgres connects to the database named by dsn, a postgres:// URL or
// a list of key=value settings as libpq takes them, and creates the tables
// when they are missing. Settings missing from dsn come from the PG*
// environment variables and ~/.pgpass, as in libpq.
func OpenPostgres(dsn string, opts PostgresOptions) (DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("%w %q: %s; use postgres://USER@HOST:PORT/DATABASE",
			ErrInvalidDSN, Redact(dsn), Redact(err.Error()))
	}
	d := &pgDB{log: opts.Logger, timeout: opts.Timeout}
	if d.log == nil {
		d.log = slog.Default()
	}
	d.log = d.log.With("component", "hub-store")
	if d.timeout <= 0 {
		d.timeout = 30 * time.Second
	}
	if err := d.connect(cfg); err != nil {
		return nil, fmt.Errorf("kv: connect to %s: %s", Redact(dsn),
			hidePassword(err.Error(), cfg.ConnConfig.Password))
	}
	return d, nil
}

func (d *pgDB) connect(cfg *pgxpool.Config) error {
	ctx, cancel := context.WithTimeout(context.Background(), d.timeout)
	defer cancel()
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return err
	}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", schemaLock); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, schema)
		return err
	})
	if err != nil {
		pool.Close()
		return err
	}
	d.pool = pool
	return nil
}

func (d *pgDB) Update(fn func(tx Tx) error) error {
	return d.retry(pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, true, fn)
}

func (d *pgDB) View(fn func(tx Tx) error) error {
	opts := pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	return d.retry(opts, false, fn)
}

func (d *pgDB) Close() error {
	d.pool.Close()
	return nil
}

// retry runs fn in a transaction and again after a serialization failure
// or a deadlock, up to maxAttempts times.
func (d *pgDB) retry(opts pgx.TxOptions, writable bool, fn func(tx Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := d.run(opts, writable, fn)
		if !retryable(err) || attempt == maxAttempts {
			return err
		}
		d.log.Warn("transaction retried", "attempt", attempt, "err", err)
		time.Sleep(time.Duration(attempt) * 10 * time.Millisecond)
	}
}

func retryable(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "40001" || pgErr.Code == "40P01")
}

func (d *pgDB) run(opts pgx.TxOptions, writable bool, fn func(tx Tx) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), d.timeout)
	defer cancel()
	ptx, err := d.pool.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("kv: begin transaction: %w", err)
	}
	defer ptx.Rollback(ctx) // does nothing after Commit

	t := &pgTx{ctx: ctx, tx: ptx, writable: writable, known: map[string]bool{}}
	if writable {
		t.exec("SELECT pg_advisory_xact_lock($1)", writeLock)
	}
	if t.err == nil {
		err = fn(t)
	}
	if t.err != nil {
		return t.err // the cause of whatever fn returned
	}
	if err != nil || !writable {
		return err
	}
	if err := ptx.Commit(ctx); err != nil {
		return fmt.Errorf("kv: commit: %w", err)
	}
	return nil
}
