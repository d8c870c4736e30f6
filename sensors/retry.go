package sensors

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"time"

	"github.com/edgecluster/edgecluster/internal/clock"
)

// Default backoff bounds of Retry.
const (
	DefaultMinBackoff = time.Second
	DefaultMaxBackoff = time.Minute
)

// Opener opens a live source: a camera, a process or a network stream.
type Opener func(ctx context.Context) (Source, error)

// State is the condition of a live source as Retry last saw it.
type State struct {
	// Up is true from the first good frame after an open until the source
	// fails.
	Up bool

	// Err is the failure that took the source down. It is nil while Up.
	Err error
}

// RetryOptions configures Retry. The zero value retries after 1 s, doubling
// up to 1 min, on the system clock, logging to slog.Default().
type RetryOptions struct {
	// Name identifies the source in logs, such as a URL or device path.
	// It must not contain credentials.
	Name string

	// MinBackoff is the first wait after a failure. 0 means DefaultMinBackoff.
	MinBackoff time.Duration

	// MaxBackoff caps the doubling wait. 0 means DefaultMaxBackoff.
	MaxBackoff time.Duration

	// OnState, when set, is called on the goroutine that calls Next each
	// time the source goes up or down.
	OnState func(State)

	Clock  clock.Clock
	Logger *slog.Logger
}

// Retrying is a Source that reopens a live source whenever it fails or
// ends, waiting with exponential backoff between attempts. Only the context
// ends it: Next never returns io.EOF or an open error. Frames are numbered
// across reopens.
type Retrying struct {
	open    Opener
	opts    RetryOptions
	clock   clock.Clock
	log     *slog.Logger
	src     Source
	seq     uint64
	up      bool
	backoff time.Duration
	fails   int
}

// Retry returns a Retrying source over open. Nothing is opened until the
// first call to Next.
func Retry(open Opener, opts RetryOptions) *Retrying {
	if opts.MinBackoff <= 0 {
		opts.MinBackoff = DefaultMinBackoff
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = DefaultMaxBackoff
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Retrying{open: open, opts: opts, clock: clock.Or(opts.Clock),
		log: log.With("component", "sensors", "source", opts.Name)}
}

// Next returns the next frame, reopening the source as often as needed. A
// corrupt frame comes back with an error wrapping ErrCorruptFrame as usual.
func (r *Retrying) Next(ctx context.Context) (Frame, error) {
	for {
		if err := ctx.Err(); err != nil {
			return Frame{}, err
		}
		if r.src == nil && !r.reopen(ctx) {
			continue
		}
		f, err := r.src.Next(ctx)
		if err == nil || errors.Is(err, ErrCorruptFrame) {
			return r.deliver(f, err)
		}
		if ctx.Err() != nil {
			return Frame{}, ctx.Err()
		}
		r.fail(ctx, err)
	}
}

// reopen opens the source and reports whether it succeeded. On failure it
// has already waited out the backoff.
func (r *Retrying) reopen(ctx context.Context) bool {
	if r.fails == 0 {
		r.log.Info("source opening")
	}
	src, err := r.open(ctx)
	if err != nil {
		if ctx.Err() == nil {
			r.fail(ctx, err)
		}
		return false
	}
	r.src = src
	return true
}

func (r *Retrying) deliver(f Frame, err error) (Frame, error) {
	if err == nil && !r.up {
		r.up = true
		r.fails = 0
		r.backoff = 0
		r.log.Info("source up")
		r.report(State{Up: true})
	}
	f.Seq = r.seq
	r.seq++
	return f, err
}

// fail closes the source, reports it down and waits before the next attempt.
func (r *Retrying) fail(ctx context.Context, err error) {
	if r.src != nil {
		if cerr := r.src.Close(); cerr != nil {
			r.log.Warn("source close failed", "err", cerr)
		}
		r.src = nil
	}
	if errors.Is(err, io.EOF) {
		err = errors.New("stream ended")
	}
	r.fails++
	r.backoff = r.nextBackoff()
	r.log.Warn("source down, retrying", "err", err, "attempt", r.fails, "wait", r.backoff)
	if r.up || r.fails == 1 {
		r.up = false
		r.report(State{Err: err})
	}
	select {
	case <-ctx.Done():
	case <-r.clock.After(r.backoff):
	}
}

func (r *Retrying) nextBackoff() time.Duration {
	if r.backoff == 0 {
		return r.opts.MinBackoff
	}
	return min(2*r.backoff, r.opts.MaxBackoff)
}

func (r *Retrying) report(s State) {
	if r.opts.OnState != nil {
		r.opts.OnState(s)
	}
}

// Close closes the current source, if one is open.
func (r *Retrying) Close() error {
	if r.src == nil {
		return nil
	}
	err := r.src.Close()
	r.src = nil
	return err
}
