package replay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/edgecluster/edgecluster/internal/clock"
	"github.com/edgecluster/edgecluster/sensors"
	"github.com/edgecluster/edgecluster/sensors/decode"
)

// Options configures a replay Source. The zero value plays the input once,
// as fast as frames are read.
type Options struct {
	// FPS limits the frame rate in frames per second. 0 means no limit.
	FPS float64

	// Loop restarts the input from its first frame when it ends.
	Loop bool

	// MaxFrameBytes bounds one encoded frame. 0 means 16 MiB.
	MaxFrameBytes int

	// Decode sets the decode limits. Images in a folder also get their EXIF
	// orientation applied, because they are usually photos.
	Decode decode.Options

	// Clock paces frames and stamps them. Nil means the system clock.
	Clock clock.Clock
}

// Source replays a file or folder. It implements sensors.Source.
type Source struct {
	path  string
	opts  Options
	clock clock.Clock
	input frames
	seq   uint64
	next  time.Time
}

// frames yields encoded frames from one pass over the input.
type frames interface {
	next() ([]byte, error)
	rewind() error
	close() error
}

// Open returns a Source over path: a folder is read as image files in name
// order, anything else as an MJPEG stream.
func Open(path string, opts Options) (*Source, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("replay: open source: %w", err)
	}
	var in frames
	if st.IsDir() {
		opts.Decode.Orientation = true
		in, err = openFolder(path, opts.MaxFrameBytes)
	} else {
		in, err = openStream(path, opts.MaxFrameBytes)
	}
	if err != nil {
		return nil, err
	}
	return &Source{path: path, opts: opts, clock: clock.Or(opts.Clock), input: in}, nil
}

// Next returns the next decoded frame. A frame that cannot be decoded comes
// back with its sequence number and an error wrapping sensors.ErrCorruptFrame;
// the source stays usable. io.EOF ends a source that does not loop.
func (s *Source) Next(ctx context.Context) (sensors.Frame, error) {
	if err := s.pace(ctx); err != nil {
		return sensors.Frame{}, err
	}
	data, err := s.read()
	if err != nil && !errors.Is(err, sensors.ErrCorruptFrame) {
		return sensors.Frame{}, err
	}

	f := sensors.Frame{Seq: s.seq, Time: s.clock.Now()}
	s.seq++
	if err != nil {
		return f, fmt.Errorf("replay: %s frame %d: %w", s.path, f.Seq, err)
	}
	img, err := decode.Decode(data, s.opts.Decode)
	if err != nil {
		return f, fmt.Errorf("replay: %s frame %d: %w", s.path, f.Seq, err)
	}
	f.Image = img
	return f, nil
}

// read returns the next encoded frame, rewinding once at the end when looping.
func (s *Source) read() ([]byte, error) {
	data, err := s.input.next()
	if !errors.Is(err, io.EOF) || !s.opts.Loop || s.seq == 0 {
		return data, err
	}
	if err := s.input.rewind(); err != nil {
		return nil, err
	}
	return s.input.next()
}

// pace waits until the next frame is due under the FPS limit.
func (s *Source) pace(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.opts.FPS <= 0 {
		return nil
	}
	now := s.clock.Now()
	if wait := s.next.Sub(now); wait > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case now = <-s.clock.After(wait):
		}
	}
	s.next = now.Add(time.Duration(float64(time.Second) / s.opts.FPS))
	return nil
}

// Close releases the input.
func (s *Source) Close() error { return s.input.close() }
