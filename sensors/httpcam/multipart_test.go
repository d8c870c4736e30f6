package httpcam

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

type part struct {
	body string
	err  error
}

func splitAll(t testing.TB, stream, boundary string, maxBytes int) []part {
	t.Helper()
	p := newPartReader(strings.NewReader(stream), boundary, maxBytes)
	var got []part
	for i := 0; i < 100; i++ {
		b, err := p.Next()
		if errors.Is(err, io.EOF) {
			return got
		}
		got = append(got, part{string(b), err})
	}
	t.Fatal("splitter did not reach io.EOF")
	return nil
}

func TestPartReader(t *testing.T) {
	const a, b = "\xff\xd8AAAA\r\n--notit\xff\xd9", "\xff\xd8BB\xff\xd9"
	tests := []struct {
		name     string
		boundary string
		stream   string
		want     []part
	}{
		{"with lengths", "frame",
			"--frame\r\nContent-Type: image/jpeg\r\nContent-Length: 17\r\n\r\n" + a +
				"\r\n--frame\r\nContent-Length: 6\r\n\r\n" + b + "\r\n",
			[]part{{a, nil}, {b, nil}}},
		{"without lengths", "frame",
			"--frame\r\nContent-Type: image/jpeg\r\n\r\n" + a + "\r\n--frame\r\n\r\n" + b +
				"\r\n--frame--\r\n",
			[]part{{a, nil}, {b, nil}}},
		{"boundary with dashes in header", "--myboundary",
			"--myboundary\r\n\r\n" + a + "\r\n--myboundary\r\n\r\n" + b + "\r\n--myboundary\r\n",
			[]part{{a, nil}, {b, nil}}},
		{"extra dashes on lines", "frame",
			"----frame\r\n\r\n" + a + "\r\n----frame\r\n\r\n" + b + "\r\n----frame\r\n",
			[]part{{a, nil}, {b, nil}}},
		{"bare LF", "frame",
			"--frame\nContent-Type: image/jpeg\n\n" + a + "\n--frame\n\n" + b + "\n--frame\n",
			[]part{{a, nil}, {b, nil}}},
		{"no headers", "frame",
			"--frame\r\n" + a + "\r\n--frame\r\n" + b + "\r\n--frame\r\n",
			[]part{{a, nil}, {b, nil}}},
		{"boundary learned", "",
			"preamble\r\n--x1\r\n\r\n" + a + "\r\n--x1\r\n\r\n" + b + "\r\n--x1\r\n",
			[]part{{a, nil}, {b, nil}}},
		{"close delimiter ends", "frame",
			"--frame\r\n\r\n" + b + "\r\n--frame--\r\n--frame\r\n\r\n" + a,
			[]part{{b, nil}}},
		{"empty part skipped", "frame",
			"--frame\r\n--frame\r\n\r\n" + b + "\r\n--frame\r\n",
			[]part{{b, nil}}},
		{"short length resyncs", "frame",
			"--frame\r\nContent-Length: 4\r\n\r\n" + a + "\r\n--frame\r\n\r\n" + b + "\r\n--frame\r\n",
			[]part{{a[:4], nil}, {b, nil}}},
		{"bad length ignored", "frame",
			"--frame\r\nContent-Length: -3\r\n\r\n" + b + "\r\n--frame\r\n",
			[]part{{b, nil}}},
		{"cut by disconnect", "frame",
			"--frame\r\n\r\n" + b + "\r\n--frame\r\n\r\n" + a[:5],
			[]part{{b, nil}, {a[:5], ErrTruncated}}},
		{"cut with length", "frame",
			"--frame\r\nContent-Length: 17\r\n\r\n" + a[:5],
			[]part{{a[:5], ErrTruncated}}},
		{"too large", "frame",
			"--frame\r\n\r\n" + strings.Repeat("x", 100) + "\r\n--frame\r\n\r\n" + b + "\r\n--frame\r\n",
			[]part{{"", ErrTooLarge}, {b, nil}}},
		{"too large by length", "frame",
			"--frame\r\nContent-Length: 100\r\n\r\n" + strings.Repeat("x", 100) +
				"\r\n--frame\r\n\r\n" + b + "\r\n--frame\r\n",
			[]part{{"", ErrTooLarge}, {b, nil}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := splitAll(t, tt.stream, tt.boundary, 64)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d parts %+v, want %d", len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				if got[i].body != w.body {
					t.Errorf("part %d: body %q, want %q", i, got[i].body, w.body)
				}
				if !errors.Is(got[i].err, w.err) {
					t.Errorf("part %d: err %v, want %v", i, got[i].err, w.err)
				}
			}
		})
	}
}

// FuzzPartReader checks that the splitter never panics, always reaches the
// end of its input, and never returns a part over the size limit.
func FuzzPartReader(f *testing.F) {
	b := "\xff\xd8BB\xff\xd9"
	f.Add("frame", "--frame\r\nContent-Length: 6\r\n\r\n"+b+"\r\n--frame\r\n\r\n"+b+"\r\n")
	f.Add("", "--x\n"+b+"\n--x--\n")
	f.Add("--b", "----b\r\nContent-Length: 999\r\n\r\n"+b)
	f.Fuzz(func(t *testing.T, boundary, stream string) {
		p := newPartReader(strings.NewReader(stream), boundary, 256)
		for i := 0; i <= len(stream)+1; i++ {
			body, err := p.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if len(body) > 256 {
				t.Fatalf("part of %d bytes over the 256-byte limit", len(body))
			}
			if err != nil && !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("unexpected error %v", err)
			}
			if len(body) > 0 && !bytes.Contains([]byte(stream), body) {
				t.Fatalf("part %q is not in the input", body)
			}
		}
		t.Fatal("splitter returned more parts than input bytes")
	})
}
