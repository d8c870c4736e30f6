package replay

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/internal/clock"
	"github.com/edgecluster/edgecluster/sensors"
)

func testImage(shade uint8) image.Image {
	img := image.NewGray(image.Rect(0, 0, 16, 16))
	for i := range img.Pix {
		img.Pix[i] = shade + uint8(i)
	}
	return img
}

func encode(t *testing.T, img image.Image, asPNG bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	var err error
	if asPNG {
		err = png.Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// drain reads a source to io.EOF and returns, per frame, whether it decoded.
func drain(t *testing.T, s *Source) []bool {
	t.Helper()
	var got []bool
	for i := 0; i < 100; i++ {
		f, err := s.Next(context.Background())
		if errors.Is(err, io.EOF) {
			return got
		}
		if err != nil && !errors.Is(err, sensors.ErrCorruptFrame) {
			t.Fatalf("frame %d: unexpected error %v", i, err)
		}
		if f.Seq != uint64(i) {
			t.Errorf("frame %d has Seq %d", i, f.Seq)
		}
		got = append(got, err == nil && f.Image != nil)
	}
	t.Fatal("source did not end")
	return nil
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestReplaySources(t *testing.T) {
	a := encode(t, testImage(10), false)
	b := encode(t, testImage(90), false)
	dir := t.TempDir()

	stream := filepath.Join(dir, "clip.mjpeg")
	writeFile(t, stream, bytes.Join([][]byte{a, a[:len(a)/2], b}, nil))

	folder := filepath.Join(dir, "frames")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(folder, "01.jpg"), a)
	writeFile(t, filepath.Join(folder, "02.png"), encode(t, testImage(50), true))
	writeFile(t, filepath.Join(folder, "03.jpeg"), []byte("not a jpeg"))
	writeFile(t, filepath.Join(folder, "04.JPG"), b)
	writeFile(t, filepath.Join(folder, "notes.txt"), []byte("ignored"))

	tests := []struct {
		name string
		path string
		want []bool
	}{
		{"mjpeg with truncated frame", stream, []bool{true, false, true}},
		{"folder with corrupt file", folder, []bool{true, true, false, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(tt.path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			got := drain(t, s)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("frame %d decoded=%v, want %v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestReplayOpenErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(dir, Options{}); !errors.Is(err, ErrNoImages) {
		t.Errorf("empty folder: err %v, want ErrNoImages", err)
	}
	if _, err := Open(filepath.Join(dir, "missing.mjpeg"), Options{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: err %v, want os.ErrNotExist", err)
	}
}

func TestReplayLoopAndRate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "clip.mjpeg")
	writeFile(t, path, append(encode(t, testImage(1), false), encode(t, testImage(2), false)...))

	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	fake := clock.NewFake(start)
	s, err := Open(path, Options{FPS: 4, Loop: true, Clock: fake})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	for i := 0; i < 5; i++ {
		f, err := s.Next(context.Background())
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		want := start.Add(time.Duration(i) * 250 * time.Millisecond)
		if !f.Time.Equal(want) {
			t.Errorf("frame %d at %v, want %v", i, f.Time.Sub(start), want.Sub(start))
		}
	}
}

func TestReplayStopsOnCancel(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "one.jpg")
	writeFile(t, path, encode(t, testImage(3), false))
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Next(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("err %v, want context.Canceled", err)
	}
}

func TestReplayFolderSkipsSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "01.jpg"), encode(t, testImage(10), false))
	if err := syscall.Mkfifo(filepath.Join(dir, "02.jpg"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "03.jpg")); err != nil {
		t.Fatal(err)
	}
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got := drain(t, s)
	want := []bool{true, false, false}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("decoded %v, want %v", got, want)
	}
}
