package sensors

import (
	"context"
	"errors"
	"image"
	"time"
)

// ErrCorruptFrame marks a frame that could not be decoded. The source that
// returned it can still be read: the caller counts the frame and goes on.
var ErrCorruptFrame = errors.New("sensors: corrupt frame")

// Frame is one captured picture.
type Frame struct {
	// Seq numbers frames from 0 in the order the source produced them,
	// corrupt frames included, so a replayed file keeps its frame indices.
	Seq uint64

	// Time is the capture time, or the replay time for recorded input.
	Time time.Time

	// Image is the decoded picture.
	Image image.Image

	// Skipped counts the frames a live source dropped without decoding just
	// before this one, to keep its frame-rate limit.
	Skipped uint64
}

// Source produces frames. Next blocks until a frame is ready, the context is
// done, or the source ends with io.EOF. A Source is used by one goroutine.
type Source interface {
	Next(ctx context.Context) (Frame, error)
	Close() error
}
