package httpcam

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ErrTooLarge marks a part longer than the frame size limit. The reader
// skips it and goes on with the next part.
var ErrTooLarge = errors.New("httpcam: part exceeds frame size limit")

// ErrTruncated marks a part cut short by the end of the stream.
var ErrTruncated = errors.New("httpcam: truncated part")

// maxLine bounds a delimiter or header line; longer lines are skipped.
const maxLine = 4096

// partReader splits a multipart/x-mixed-replace body into part bodies.
type partReader struct {
	r        *bufio.Reader
	boundary string // without leading dashes; "" until learned
	max      int
}

func newPartReader(r io.Reader, boundary string, maxBytes int) *partReader {
	return &partReader{r: bufio.NewReaderSize(r, 64<<10),
		boundary: strings.Trim(boundary, "-"), max: maxBytes}
}

// Next returns the body of the next part. It returns io.EOF at the end of
// the stream or at a close delimiter.
func (p *partReader) Next() ([]byte, error) {
	if err := p.skipToDelimiter(); err != nil {
		return nil, err
	}
	length, err := p.readHeaders()
	if err != nil {
		return nil, err
	}
	if length >= 0 {
		return p.readLength(length)
	}
	return p.readToDelimiter()
}

// skipToDelimiter consumes lines up to and including a delimiter line.
func (p *partReader) skipToDelimiter() error {
	for {
		line, err := p.line()
		if err != nil {
			return err
		}
		if closing, ok := p.delimiter(line); ok {
			if closing {
				return io.EOF
			}
			return nil
		}
	}
}

// line returns the next line without its line end. A line longer than
// maxLine comes back cut, which never matches a delimiter.
func (p *partReader) line() ([]byte, error) {
	var out []byte
	for {
		chunk, err := p.r.ReadSlice('\n')
		if len(out) < maxLine {
			out = append(out, chunk[:min(len(chunk), maxLine-len(out))]...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && len(out) == 0 {
			return nil, err
		}
		return bytes.TrimRight(out, "\r\n"), nil
	}
}

// delimiter reports whether line is a delimiter and whether it closes the
// stream. With no boundary known yet, the first line that starts with
// "--" sets it.
func (p *partReader) delimiter(line []byte) (closing, ok bool) {
	s := strings.TrimSpace(string(line))
	if !strings.HasPrefix(s, "--") {
		return false, false
	}
	s = strings.TrimLeft(s, "-")
	name := strings.TrimRight(s, "-")
	if p.boundary == "" {
		p.boundary = name
	}
	if name == "" || name != p.boundary {
		return false, false
	}
	return s != name, true
}

// readHeaders reads part header lines up to the blank line, or up to the
// start of a JPEG when a camera sends no headers, and returns the
// Content-Length, or -1 when it is missing or invalid.
func (p *partReader) readHeaders() (int, error) {
	length := -1
	for {
		if peek, err := p.r.Peek(2); err == nil && peek[0] == 0xFF && peek[1] == 0xD8 {
			return length, nil
		}
		line, err := p.line()
		if err != nil {
			return 0, err
		}
		if len(bytes.TrimSpace(line)) == 0 {
			return length, nil
		}
		if closing, ok := p.delimiter(line); ok {
			if closing {
				return 0, io.EOF
			}
			length = -1 // an empty part: start over with the next one
			continue
		}
		name, value, found := strings.Cut(string(line), ":")
		if found && strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			if n, err := strconv.Atoi(strings.TrimSpace(value)); err == nil && n >= 0 {
				length = n
			}
		}
	}
}

// readLength reads a body of n bytes, as its Content-Length header states.
func (p *partReader) readLength(n int) ([]byte, error) {
	if n > p.max {
		if _, err := p.r.Discard(n); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%w: Content-Length %d, limit %d", ErrTooLarge, n, p.max)
	}
	body := make([]byte, n)
	got, err := io.ReadFull(p.r, body)
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return body[:got], fmt.Errorf("%w: %d of %d bytes", ErrTruncated, got, n)
	}
	return body, err
}

// readToDelimiter reads a body up to the next line that starts with the
// delimiter and leaves that line unread. The delimiter must follow a line end.
func (p *partReader) readToDelimiter() ([]byte, error) {
	var body []byte
	tooLarge := false
	for {
		chunk, err := p.r.ReadSlice('\n')
		if !tooLarge && len(body)+len(chunk) > p.max {
			tooLarge, body = true, nil
		}
		if !tooLarge {
			body = append(body, chunk...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil {
			return p.endOfStream(body, tooLarge, err)
		}
		if p.atDelimiter() {
			if tooLarge {
				return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, p.max)
			}
			return trimLineEnd(body), nil
		}
	}
}

// atDelimiter reports whether the unread input starts with two or more
// dashes and the boundary. It reads nothing.
func (p *partReader) atDelimiter() bool {
	peek, _ := p.r.Peek(len(p.boundary) + 16)
	rest := bytes.TrimLeft(peek, "-")
	dashes := len(peek) - len(rest)
	return dashes >= 2 && dashes <= 16 && bytes.HasPrefix(rest, []byte(p.boundary))
}

func (p *partReader) endOfStream(body []byte, tooLarge bool, err error) ([]byte, error) {
	if !errors.Is(err, io.EOF) {
		return nil, err
	}
	if tooLarge {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, p.max)
	}
	if len(body) == 0 {
		return nil, io.EOF
	}
	return body, fmt.Errorf("%w: stream ended after %d bytes", ErrTruncated, len(body))
}

func trimLineEnd(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}
