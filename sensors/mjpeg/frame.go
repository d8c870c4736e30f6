package mjpeg

import "fmt"

// frame accumulates the bytes of one JPEG image while its markers are walked.
type frame struct {
	r   *Reader
	buf []byte
}

func (f *frame) byte() (byte, error) {
	b, err := f.r.readByte()
	if err != nil {
		return 0, err
	}
	if len(f.buf) >= f.r.max {
		return 0, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, f.r.max)
	}
	f.buf = append(f.buf, b)
	return b, nil
}

// readSegments walks marker segments from just after SOI until EOI.
func (f *frame) readSegments() error {
	for {
		m, err := f.marker()
		if err != nil {
			return err
		}
		done, err := f.segment(m)
		if done || err != nil {
			return err
		}
	}
}

// marker reads 0xFF, any fill bytes, and the marker code.
func (f *frame) marker() (byte, error) {
	b, err := f.byte()
	if err != nil {
		return 0, err
	}
	if b != 0xFF {
		return 0, fmt.Errorf("%w: expected marker, found byte 0x%02X", ErrMalformed, b)
	}
	for b == 0xFF {
		if b, err = f.byte(); err != nil {
			return 0, err
		}
	}
	return b, nil
}

// segment consumes the segment that starts with marker m and reports whether
// the frame is complete.
func (f *frame) segment(m byte) (bool, error) {
	switch {
	case m == markerEOI:
		return true, nil
	case m == markerSOI:
		return true, f.restart()
	case m == markerTEM || (m >= markerRST0 && m <= markerRST7):
		return false, nil
	}
	if err := f.skipLength(m); err != nil {
		return false, err
	}
	if m != markerSOS {
		return false, nil
	}
	return f.scanEntropy()
}

// skipLength copies a segment whose two-byte big-endian length includes itself.
// APPn and COM segments may embed whole JPEG files (EXIF thumbnails), but
// table and frame headers never contain the bytes FF D8 FF, so there that
// sequence means the frame was cut inside the header and a new one began.
func (f *frame) skipLength(m byte) error {
	hi, err := f.byte()
	if err != nil {
		return err
	}
	lo, err := f.byte()
	if err != nil {
		return err
	}
	n := int(hi)<<8 | int(lo)
	if n < 2 {
		return fmt.Errorf("%w: segment length %d", ErrMalformed, n)
	}
	opaque := (m >= 0xE0 && m <= 0xEF) || m == 0xFE
	for i := 2; i < n; i++ {
		b, err := f.byte()
		if err != nil {
			return err
		}
		if !opaque && b == 0xFF && f.endsWith(0xFF, markerSOI) {
			f.unread()
			return f.restart()
		}
	}
	return nil
}

// unread gives the last byte back to the stream.
func (f *frame) unread() {
	f.buf = f.buf[:len(f.buf)-1]
	if f.r.r.UnreadByte() == nil {
		f.r.offset--
	}
}

// endsWith reports whether the bytes before the last one are a, b.
func (f *frame) endsWith(a, b byte) bool {
	n := len(f.buf)
	return n >= 3 && f.buf[n-3] == a && f.buf[n-2] == b
}

// scanEntropy copies entropy-coded data up to the next marker that is not a
// stuffed 0xFF00 or a restart marker, then handles that marker.
func (f *frame) scanEntropy() (bool, error) {
	for {
		b, err := f.byte()
		if err != nil {
			return false, err
		}
		if b != 0xFF {
			continue
		}
		m, err := f.byte()
		for err == nil && m == 0xFF {
			m, err = f.byte()
		}
		if err != nil {
			return false, err
		}
		if m == 0 || (m >= markerRST0 && m <= markerRST7) {
			continue
		}
		return f.segment(m)
	}
}

// restart handles an SOI found inside a frame: the current frame is cut short
// and the next call to Next starts from the new SOI.
func (f *frame) restart() error {
	f.buf = f.buf[:len(f.buf)-2]
	f.r.pending = true
	return fmt.Errorf("%w: next frame began after %d bytes", ErrTruncated, len(f.buf))
}
