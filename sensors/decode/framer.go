package decode

import (
	"image"
	"time"

	"github.com/edgecluster/edgecluster/internal/clock"
	"github.com/edgecluster/edgecluster/sensors"
)

// FramerOptions configures a Framer. The zero value decodes every frame
// with the Options defaults on the system clock.
type FramerOptions struct {
	// FPS limits the frame rate in frames per second. Frames that arrive
	// sooner are dropped before decoding. 0 means no limit.
	FPS float64

	// Decode sets the decode limits.
	Decode Options

	Clock clock.Clock
}

// Framer turns the encoded frames of a live source into sensors.Frame
// values: it stamps them, drops those over the rate limit without decoding
// them and decodes the rest.
type Framer struct {
	opts    FramerOptions
	clock   clock.Clock
	next    time.Time
	seq     uint64
	skipped uint64
}

// NewFramer returns a Framer.
func NewFramer(opts FramerOptions) *Framer {
	return &Framer{opts: opts, clock: clock.Or(opts.Clock)}
}

// Frame returns the frame for data. ok is false when the frame was dropped
// for the rate limit. A frame that fails to decode comes back with ok and an
// error wrapping sensors.ErrCorruptFrame.
func (f *Framer) Frame(data []byte) (frame sensors.Frame, ok bool, err error) {
	return f.FrameFunc(func() (image.Image, error) { return Decode(data, f.opts.Decode) })
}

// FrameFunc is Frame for a frame that is not a JPEG or PNG: decode is
// called only for a frame within the rate limit.
func (f *Framer) FrameFunc(decode func() (image.Image, error)) (sensors.Frame, bool, error) {
	now := f.clock.Now()
	if f.opts.FPS > 0 {
		if now.Before(f.next) {
			f.skipped++
			return sensors.Frame{}, false, nil
		}
		f.next = now.Add(time.Duration(float64(time.Second) / f.opts.FPS))
	}

	frame := sensors.Frame{Seq: f.seq, Time: now, Skipped: f.skipped}
	f.seq++
	f.skipped = 0
	var err error
	frame.Image, err = decode()
	return frame, true, err
}
