//go:build linux

package v4l2

import (
	"context"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/edgecluster/edgecluster/internal/clock"
	"github.com/edgecluster/edgecluster/sensors"
	"github.com/edgecluster/edgecluster/sensors/decode"
)

// Defaults used when an Options field is zero.
const (
	DefaultBuffers = 4
	DefaultTimeout = 5 * time.Second
)

// bufFlagError is V4L2_BUF_FLAG_ERROR: the driver filled the buffer but
// the data may be damaged.
const bufFlagError = 0x40

// pollSlice is the longest single wait, so a cancelled context is noticed.
const pollSlice = 200 * time.Millisecond

// Options configures a capture Source. The zero value captures 640×480 in
// MJPEG when the camera offers it, at the camera's default rate.
type Options struct {
	// Width and Height request a frame size. 0 means 640×480. The driver
	// may choose the nearest size it supports; Source.Format reports it.
	Width, Height int

	// Format is "mjpeg", "yuyv", or "" for MJPEG when offered, else YUYV.
	Format string

	// FPS requests this frame rate from the driver and drops faster frames
	// before decoding. 0 means the camera's rate.
	FPS float64

	// Buffers is the number of mmap buffers. 0 means DefaultBuffers.
	Buffers int

	// Timeout ends the source when no frame arrives for this long. 0 means
	// DefaultTimeout.
	Timeout time.Duration

	// Decode sets the decode limits of MJPEG frames.
	Decode decode.Options

	Clock  clock.Clock
	Logger *slog.Logger
}

// Source captures from one V4L2 device. It implements sensors.Source.
type Source struct {
	dev       device
	path      string
	opts      Options
	log       *slog.Logger
	pix       pixFormat
	bufs      [][]byte
	streaming bool
	framer    *decode.Framer
}

// Open opens the device at path, negotiates the format and starts
// streaming.
func Open(path string, opts Options) (*Source, error) {
	d, err := openFile(path)
	if err != nil {
		return nil, err
	}
	return open(d, path, opts)
}

func open(d device, path string, opts Options) (*Source, error) {
	opts = opts.withDefaults()
	s := &Source{dev: d, path: path, opts: opts,
		log: opts.Logger.With("component", "v4l2", "device", path),
		framer: decode.NewFramer(decode.FramerOptions{FPS: opts.FPS, Decode: opts.Decode,
			Clock: opts.Clock})}
	if err := s.start(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (o Options) withDefaults() Options {
	if o.Width <= 0 || o.Height <= 0 {
		o.Width, o.Height = 640, 480
	}
	if o.Buffers <= 0 {
		o.Buffers = DefaultBuffers
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// start negotiates the format, maps and queues the buffers and turns the
// stream on.
func (s *Source) start() error {
	info, err := describe(s.dev, s.path)
	if err != nil {
		return err
	}
	if !info.Capture {
		return fmt.Errorf("%w: %s (%s) is not a streaming video capture device",
			ErrUnsupported, s.path, info.Card)
	}
	code, err := chooseFormat(info.Formats, s.opts.Format)
	if err != nil {
		return fmt.Errorf("%s: %w", s.path, err)
	}
	if s.pix, err = setFormat(s.dev, code, Size{s.opts.Width, s.opts.Height}); err != nil {
		return err
	}
	rateSet := setFrameRate(s.dev, s.opts.FPS)
	if err := s.mapBuffers(); err != nil {
		return err
	}
	if err := s.streamOn(); err != nil {
		return err
	}
	s.log.Info("capture started", "card", info.Card, "format", fourCCName(code),
		"width", s.pix.Width, "height", s.pix.Height, "buffers", len(s.bufs),
		"driver_rate", rateSet)
	return nil
}

// mapBuffers requests mmap buffers, maps each one and queues it.
func (s *Source) mapBuffers() error {
	req := requestBuffers{Count: uint32(s.opts.Buffers), Type: bufTypeVideoCapture,
		Memory: memoryMMap}
	if err := s.dev.ioctl(vidiocReqBufs, unsafe.Pointer(&req)); err != nil {
		return fmt.Errorf("v4l2: VIDIOC_REQBUFS %d: %w", s.opts.Buffers, err)
	}
	if req.Count < 2 {
		return fmt.Errorf("%w: driver granted %d buffers, need 2", ErrUnsupported, req.Count)
	}
	for i := uint32(0); i < req.Count; i++ {
		b := buffer{Index: i, Type: bufTypeVideoCapture, Memory: memoryMMap}
		if err := s.dev.ioctl(vidiocQueryBuf, unsafe.Pointer(&b)); err != nil {
			return fmt.Errorf("v4l2: VIDIOC_QUERYBUF %d: %w", i, err)
		}
		mem, err := s.dev.mmap(int64(b.offset()), int(b.Length))
		if err != nil {
			return fmt.Errorf("v4l2: mmap buffer %d: %w", i, err)
		}
		s.bufs = append(s.bufs, mem)
		if err := s.queue(i); err != nil {
			return err
		}
	}
	return nil
}

func (s *Source) queue(i uint32) error {
	b := buffer{Index: i, Type: bufTypeVideoCapture, Memory: memoryMMap}
	if err := s.dev.ioctl(vidiocQBuf, unsafe.Pointer(&b)); err != nil {
		return fmt.Errorf("v4l2: VIDIOC_QBUF %d: %w", i, err)
	}
	return nil
}

func (s *Source) streamOn() error {
	t := int32(bufTypeVideoCapture)
	if err := s.dev.ioctl(vidiocStreamOn, unsafe.Pointer(&t)); err != nil {
		return fmt.Errorf("v4l2: VIDIOC_STREAMON: %w", err)
	}
	s.streaming = true
	return nil
}

// Format returns the negotiated pixel format and frame size.
func (s *Source) Format() (fourCC string, size Size) {
	return fourCCName(s.pix.PixelFormat), Size{int(s.pix.Width), int(s.pix.Height)}
}

// Next returns the next frame. A frame the driver flags as damaged, or
// that does not decode, comes back with an error wrapping
// sensors.ErrCorruptFrame. An unplugged camera, or no frame for
// Options.Timeout, ends the source with an error.
func (s *Source) Next(ctx context.Context) (sensors.Frame, error) {
	for {
		b, err := s.dequeue(ctx)
		if err != nil {
			return sensors.Frame{}, err
		}
		f, ok, err := s.frame(b)
		if qerr := s.queue(b.Index); qerr != nil {
			return sensors.Frame{}, qerr
		}
		if ok {
			return f, err
		}
	}
}

// dequeue waits for a filled buffer and takes it from the driver.
func (s *Source) dequeue(ctx context.Context) (buffer, error) {
	waited := time.Duration(0)
	for {
		if err := ctx.Err(); err != nil {
			return buffer{}, err
		}
		b := buffer{Type: bufTypeVideoCapture, Memory: memoryMMap}
		err := s.dev.ioctl(vidiocDQBuf, unsafe.Pointer(&b))
		if err == nil {
			return b, nil
		}
		if !errors.Is(err, unix.EAGAIN) {
			return buffer{}, fmt.Errorf("v4l2: %s: VIDIOC_DQBUF: %w", s.path, err)
		}
		if waited >= s.opts.Timeout {
			return buffer{}, fmt.Errorf("%w: %s, %v", ErrTimeout, s.path, s.opts.Timeout)
		}
		slice := min(pollSlice, s.opts.Timeout-waited)
		if err := s.dev.waitReadable(slice); err != nil && !errors.Is(err, ErrTimeout) {
			return buffer{}, fmt.Errorf("%s: %w", s.path, err)
		}
		waited += slice
	}
}

// frame turns a dequeued buffer into a frame before it is queued again.
func (s *Source) frame(b buffer) (sensors.Frame, bool, error) {
	if int(b.Index) >= len(s.bufs) || int(b.BytesUsed) > len(s.bufs[b.Index]) {
		return sensors.Frame{}, true, fmt.Errorf("%w: buffer %d with %d bytes is out of range",
			sensors.ErrCorruptFrame, b.Index, b.BytesUsed)
	}
	data := s.bufs[b.Index][:b.BytesUsed]
	if b.Flags&bufFlagError != 0 {
		return sensors.Frame{}, true, fmt.Errorf("%w: driver flagged frame %d as damaged",
			sensors.ErrCorruptFrame, b.Sequence)
	}
	if s.pix.PixelFormat == PixelYUYV {
		return s.framer.FrameFunc(func() (image.Image, error) { return yuyvImage(data, s.pix) })
	}
	return s.framer.Frame(data)
}

// Close stops streaming, unmaps the buffers and closes the device.
func (s *Source) Close() error {
	var errs []error
	if s.streaming {
		t := int32(bufTypeVideoCapture)
		errs = append(errs, s.dev.ioctl(vidiocStreamOff, unsafe.Pointer(&t)))
		s.streaming = false
	}
	for _, b := range s.bufs {
		errs = append(errs, s.dev.munmap(b))
	}
	s.bufs = nil
	errs = append(errs, s.dev.close())
	s.log.Info("capture stopped")
	return errors.Join(errs...)
}
