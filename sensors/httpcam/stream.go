package httpcam

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/edgecluster/edgecluster/sensors"
	"github.com/edgecluster/edgecluster/sensors/decode"
)

// requestContext is the context a request is bound to.
type requestContext = context.Context

// ErrContentType marks a stream response that is not multipart.
var ErrContentType = errors.New("httpcam: stream response is not multipart/x-mixed-replace")

// Stream is an MJPEG-over-HTTP source. It implements sensors.Source.
type Stream struct {
	opts   Options
	log    *slog.Logger
	resp   *http.Response
	parts  *partReader
	framer *decode.Framer
	cancel context.CancelFunc
	idle   *time.Timer
}

// OpenStream connects to an MJPEG stream and checks the response headers.
// The connection stays open until Close or a failure.
func OpenStream(ctx context.Context, opts Options) (*Stream, error) {
	opts = opts.withDefaults()
	ctx, cancel := context.WithCancel(ctx)
	// The timer cancels the request when connecting, the headers or any
	// frame take longer than the timeout. Next resets it after each frame.
	idle := time.AfterFunc(opts.Timeout, cancel)
	resp, boundary, err := connect(ctx, opts)
	if err != nil {
		idle.Stop()
		cancel()
		return nil, err
	}

	framer := decode.NewFramer(decode.FramerOptions{FPS: opts.FPS, Decode: opts.Decode,
		Clock: opts.Clock})
	s := &Stream{opts: opts, resp: resp, cancel: cancel, idle: idle, framer: framer,
		log:   opts.Logger.With("component", "httpcam", "url", Redact(opts.URL)),
		parts: newPartReader(resp.Body, boundary, opts.MaxFrameBytes)}
	s.idle.Reset(opts.Timeout)
	s.log.Info("stream connected", "boundary", boundary)
	return s, nil
}

// connect sends the request and returns the response of a multipart stream
// with its boundary.
func connect(ctx context.Context, opts Options) (*http.Response, string, error) {
	resp, err := opts.get(ctx)
	if err != nil {
		return nil, "", err
	}
	boundary, err := streamBoundary(resp.Header.Get("Content-Type"))
	if err != nil {
		resp.Body.Close()
		return nil, "", err
	}
	return resp, boundary, nil
}

// streamBoundary returns the boundary parameter of a multipart Content-Type,
// or "" when it is missing, to be learned from the first delimiter line.
func streamBoundary(contentType string) (string, error) {
	media, params, err := mime.ParseMediaType(contentType)
	if err != nil || !strings.HasPrefix(media, "multipart/") {
		return "", fmt.Errorf("%w: Content-Type %q: check that the URL is the MJPEG "+
			"stream and not a page or snapshot", ErrContentType, contentType)
	}
	return params["boundary"], nil
}

// Next returns the next frame. A part that is not a decodable image comes
// back with an error wrapping sensors.ErrCorruptFrame. The end of the
// response, a read error or a stall longer than Options.Timeout ends the
// stream with an error.
func (s *Stream) Next(ctx context.Context) (sensors.Frame, error) {
	stop := context.AfterFunc(ctx, s.cancel)
	defer stop()
	for {
		data, err := s.parts.Next()
		if err != nil && !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrTruncated) {
			return sensors.Frame{}, s.readError(ctx, err)
		}
		s.idle.Reset(s.opts.Timeout)
		if err != nil {
			return sensors.Frame{}, fmt.Errorf("%w: %v", sensors.ErrCorruptFrame, err)
		}
		f, ok, err := s.framer.Frame(data)
		if ok {
			return f, err
		}
	}
}

// readError explains why reading stopped.
func (s *Stream) readError(ctx context.Context, err error) error {
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, io.EOF):
		return fmt.Errorf("httpcam: %s: server ended the stream", Redact(s.opts.URL))
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("httpcam: %s: no frame for %v", Redact(s.opts.URL), s.opts.Timeout)
	}
	return fmt.Errorf("httpcam: %s: %w", Redact(s.opts.URL), err)
}

// Close ends the connection.
func (s *Stream) Close() error {
	s.idle.Stop()
	s.cancel()
	s.log.Info("stream closed")
	return s.resp.Body.Close()
}
