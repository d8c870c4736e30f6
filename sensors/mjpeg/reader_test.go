package mjpeg

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// encodeJPEG returns a small JPEG whose pixels depend on shade.
func encodeJPEG(t testing.TB, shade uint8) []byte {
	return encodeSized(t, shade, 32, 24)
}

func encodeSized(t testing.TB, shade uint8, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{shade, uint8(x * 8), uint8(y * 10), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withAPP1 inserts an APP1 segment holding a complete JPEG (as an EXIF
// thumbnail would) right after the SOI marker of frame.
func withAPP1(frame, thumb []byte) []byte {
	n := len(thumb) + 2
	seg := append([]byte{0xFF, 0xE1, byte(n >> 8), byte(n)}, thumb...)
	out := append([]byte{}, frame[:2]...)
	out = append(out, seg...)
	return append(out, frame[2:]...)
}

type result struct {
	size int
	err  error
}

func readAll(t *testing.T, stream []byte, opts Options) []result {
	t.Helper()
	r := NewReader(bytes.NewReader(stream), opts)
	var got []result
	for i := 0; i < 100; i++ {
		b, err := r.Next()
		if errors.Is(err, io.EOF) {
			return got
		}
		got = append(got, result{len(b), err})
	}
	t.Fatal("reader did not reach io.EOF")
	return nil
}

func TestReaderSplitsFrames(t *testing.T) {
	a, b := encodeJPEG(t, 10), encodeJPEG(t, 200)
	thumbed := withAPP1(a, b)
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

	tests := []struct {
		name   string
		stream []byte
		opts   Options
		want   []result
	}{
		{"empty", nil, Options{}, nil},
		{"two frames", cat(a, b), Options{}, []result{{len(a), nil}, {len(b), nil}}},
		{"garbage between", cat([]byte("xx\xff"), a, []byte("junk"), b), Options{},
			[]result{{len(a), nil}, {len(b), nil}}},
		{"thumbnail in APP1", cat(thumbed, b), Options{},
			[]result{{len(thumbed), nil}, {len(b), nil}}},
		{"cut by next frame", cat(a[:len(a)-40], b), Options{},
			[]result{{len(a) - 40, ErrTruncated}, {len(b), nil}}},
		{"cut inside header", cat(a[:200], b), Options{},
			[]result{{200, ErrTruncated}, {len(b), nil}}},
		{"cut by end of stream", cat(a, b[:len(b)/2]), Options{},
			[]result{{len(a), nil}, {len(b) / 2, ErrTruncated}}},
		{"over size limit", cat(a, b), Options{MaxFrameBytes: 100},
			[]result{{100, ErrTooLarge}, {100, ErrTooLarge}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readAll(t, tt.stream, tt.opts)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d frames %v, want %d", len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				if got[i].size != w.size {
					t.Errorf("frame %d: size %d, want %d", i, got[i].size, w.size)
				}
				if !errors.Is(got[i].err, w.err) || (w.err == nil) != (got[i].err == nil) {
					t.Errorf("frame %d: err %v, want %v", i, got[i].err, w.err)
				}
			}
		})
	}
}

func TestReaderFramesDecode(t *testing.T) {
	a, b := encodeJPEG(t, 10), encodeJPEG(t, 200)
	r := NewReader(bytes.NewReader(append(withAPP1(a, b), b...)), Options{})
	for i := 0; i < 2; i++ {
		frame, err := r.Next()
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		if _, err := jpeg.Decode(bytes.NewReader(frame)); err != nil {
			t.Errorf("frame %d does not decode: %v", i, err)
		}
	}
}

func FuzzReader(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.mjpeg"))
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(encodeJPEG(f, 1))
	f.Fuzz(func(t *testing.T, stream []byte) {
		r := NewReader(bytes.NewReader(stream), Options{MaxFrameBytes: 1 << 16})
		total := 0
		for {
			b, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			total += len(b)
			if len(b) > 1<<16 {
				t.Fatalf("frame of %d bytes passed the limit", len(b))
			}
		}
		if r.Offset() != int64(len(stream)) {
			t.Fatalf("consumed %d of %d bytes", r.Offset(), len(stream))
		}
		if total > len(stream) {
			t.Fatalf("returned %d bytes from a %d-byte stream", total, len(stream))
		}
	})
}

func BenchmarkReader(b *testing.B) {
	sizes := []struct {
		name string
		w, h int
	}{{"320x240", 320, 240}, {"640x480", 640, 480}, {"1280x720", 1280, 720}}
	for _, size := range sizes {
		stream := bytes.Repeat(encodeSized(b, 90, size.w, size.h), 16)
		b.Run(size.name, func(b *testing.B) {
			b.SetBytes(int64(len(stream)))
			for i := 0; i < b.N; i++ {
				r := NewReader(bytes.NewReader(stream), Options{})
				for {
					if _, err := r.Next(); err != nil {
						break
					}
				}
			}
		})
	}
}
