package replay

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/edgecluster/edgecluster/sensors"
	"github.com/edgecluster/edgecluster/sensors/mjpeg"
)

// stream reads frames from an MJPEG file.
type stream struct {
	file *os.File
	max  int
	r    *mjpeg.Reader
}

func openStream(path string, maxBytes int) (*stream, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("replay: open source: %w", err)
	}
	s := &stream{file: f, max: maxBytes}
	s.r = mjpeg.NewReader(f, mjpeg.Options{MaxFrameBytes: maxBytes})
	return s, nil
}

func (s *stream) next() ([]byte, error) {
	data, err := s.r.Next()
	if err == nil || errors.Is(err, io.EOF) {
		return data, err
	}
	if isFrameError(err) {
		return nil, fmt.Errorf("%w: %v", sensors.ErrCorruptFrame, err)
	}
	return nil, fmt.Errorf("replay: read %s: %w", s.file.Name(), err)
}

func isFrameError(err error) bool {
	return errors.Is(err, mjpeg.ErrTruncated) || errors.Is(err, mjpeg.ErrMalformed) ||
		errors.Is(err, mjpeg.ErrTooLarge)
}

func (s *stream) rewind() error {
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("replay: rewind %s: %w", s.file.Name(), err)
	}
	s.r = mjpeg.NewReader(s.file, mjpeg.Options{MaxFrameBytes: s.max})
	return nil
}

func (s *stream) close() error { return s.file.Close() }
