package mjpeg

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// DefaultMaxFrameBytes is the frame size limit used when Options.MaxFrameBytes
// is zero: 16 MiB, above any camera JPEG up to 4K at high quality.
const DefaultMaxFrameBytes = 16 << 20

// ErrTruncated marks a frame that ended before its end-of-image marker, either
// because the next frame began or because the stream ended.
var ErrTruncated = errors.New("mjpeg: truncated frame")

// ErrTooLarge marks a frame longer than Options.MaxFrameBytes. The reader
// skips the rest of it and resynchronises on the next start-of-image marker.
var ErrTooLarge = errors.New("mjpeg: frame exceeds size limit")

// ErrMalformed marks a frame whose marker structure is invalid. The reader
// resynchronises on the next start-of-image marker.
var ErrMalformed = errors.New("mjpeg: malformed frame")

// JPEG marker bytes that follow 0xFF.
const (
	markerSOI  = 0xD8
	markerEOI  = 0xD9
	markerSOS  = 0xDA
	markerTEM  = 0x01
	markerRST0 = 0xD0
	markerRST7 = 0xD7
)

// Options configures a Reader. The zero value is ready to use.
type Options struct {
	// MaxFrameBytes bounds one frame. 0 means DefaultMaxFrameBytes.
	MaxFrameBytes int
}

// Reader returns the JPEG frames of an MJPEG stream one at a time.
type Reader struct {
	r       *bufio.Reader
	max     int
	pending bool // an SOI was consumed while reading the previous frame
	offset  int64
}

// NewReader returns a Reader over r.
func NewReader(r io.Reader, opts Options) *Reader {
	limit := opts.MaxFrameBytes
	if limit <= 0 {
		limit = DefaultMaxFrameBytes
	}
	return &Reader{r: bufio.NewReaderSize(r, 64<<10), max: limit}
}

// Offset returns the number of stream bytes consumed so far.
func (r *Reader) Offset() int64 { return r.offset }

// Next returns the next frame, including its SOI and EOI markers. At the end
// of the stream it returns io.EOF. A frame with ErrTruncated or ErrTooLarge
// comes with whatever bytes were read (possibly none). The Reader stays usable.
func (r *Reader) Next() ([]byte, error) {
	if !r.pending {
		if err := r.seekSOI(); err != nil {
			return nil, err
		}
	}
	r.pending = false

	f := &frame{r: r, buf: []byte{0xFF, markerSOI}}
	err := f.readSegments()
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return f.buf, fmt.Errorf("%w: stream ended after %d bytes", ErrTruncated, len(f.buf))
	}
	return f.buf, err
}

// seekSOI discards bytes up to and including the next start-of-image marker.
func (r *Reader) seekSOI() error {
	prev := byte(0)
	for {
		b, err := r.readByte()
		if err != nil {
			return err
		}
		if prev == 0xFF && b == markerSOI {
			return nil
		}
		prev = b
	}
}

func (r *Reader) readByte() (byte, error) {
	b, err := r.r.ReadByte()
	if err == nil {
		r.offset++
	}
	return b, err
}
