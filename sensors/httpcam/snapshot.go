package httpcam

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/edgecluster/edgecluster/sensors"
	"github.com/edgecluster/edgecluster/sensors/decode"
)

// Snapshot polls a JPEG URL. It implements sensors.Source.
type Snapshot struct {
	opts Options
	log  *slog.Logger
	next time.Time
}

// NewSnapshot returns a source that fetches opts.URL every opts.Interval.
// Nothing is fetched before the first call to Next.
func NewSnapshot(opts Options) *Snapshot {
	opts = opts.withDefaults()
	opts.Decode.Orientation = true
	return &Snapshot{opts: opts,
		log: opts.Logger.With("component", "httpcam", "url", Redact(opts.URL))}
}

// Next waits for the next poll time and fetches one image. A response that
// is not a decodable image comes back with an error wrapping
// sensors.ErrCorruptFrame. A failed request, a status other than 200 or a
// fetch longer than Options.Timeout is returned as an error.
func (s *Snapshot) Next(ctx context.Context) (sensors.Frame, error) {
	if err := s.wait(ctx); err != nil {
		return sensors.Frame{}, err
	}
	now := s.opts.Clock.Now()
	s.next = now.Add(s.opts.Interval)

	data, err := s.fetch(ctx)
	if err != nil {
		return sensors.Frame{}, err
	}
	f := sensors.Frame{Time: now}
	if len(data) > s.opts.MaxFrameBytes {
		return f, fmt.Errorf("%w: snapshot over %d bytes", sensors.ErrCorruptFrame,
			s.opts.MaxFrameBytes)
	}
	f.Image, err = decode.Decode(data, s.opts.Decode)
	return f, err
}

func (s *Snapshot) wait(ctx context.Context) error {
	wait := s.next.Sub(s.opts.Clock.Now())
	if wait <= 0 {
		return ctx.Err()
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-s.opts.Clock.After(wait):
		return nil
	}
}

// fetch returns the body of one response, at most MaxFrameBytes+1 bytes.
func (s *Snapshot) fetch(ctx context.Context) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	resp, err := s.opts.get(ctx)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, int64(s.opts.MaxFrameBytes)+1))
	if err != nil {
		return nil, fmt.Errorf("httpcam: read %s: %w", Redact(s.opts.URL), err)
	}
	return data, nil
}

// Close does nothing, because no request outlives Next.
func (s *Snapshot) Close() error { return nil }
