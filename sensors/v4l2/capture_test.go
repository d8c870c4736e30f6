//go:build linux

package v4l2

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/sensors"
)

var quiet = slog.New(slog.DiscardHandler)

var (
	mjpegFormat = fakeFormat{PixelMJPEG, "Motion-JPEG", []Size{{640, 480}, {1280, 720}}}
	yuyvFormat  = fakeFormat{PixelYUYV, "YUYV 4:2:2", []Size{{320, 240}, {640, 480}}}
	h264Format  = fakeFormat{FourCC("H264"), "H.264", nil}
)

const webcamCaps = capVideoCapture | capStreaming

func testJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestOpenNegotiates(t *testing.T) {
	tests := []struct {
		name       string
		cam        fakeCamera
		opts       Options
		wantFourCC string
		wantSize   Size
		wantErr    error
	}{
		{"prefers mjpeg", fakeCamera{caps: webcamCaps,
			formats: []fakeFormat{yuyvFormat, mjpegFormat}}, Options{}, "MJPG", Size{640, 480}, nil},
		{"yuyv on request", fakeCamera{caps: webcamCaps,
			formats: []fakeFormat{mjpegFormat, yuyvFormat}}, Options{Format: "yuyv"}, "YUYV",
			Size{640, 480}, nil},
		{"falls back to yuyv", fakeCamera{caps: webcamCaps,
			formats: []fakeFormat{yuyvFormat}}, Options{}, "YUYV", Size{640, 480}, nil},
		{"nearest size", fakeCamera{caps: webcamCaps, formats: []fakeFormat{mjpegFormat}},
			Options{Width: 1200, Height: 700}, "MJPG", Size{1280, 720}, nil},
		{"stepwise size", fakeCamera{caps: webcamCaps,
			formats: []fakeFormat{{PixelJPEG, "JPEG", nil}}},
			Options{Width: 800, Height: 600}, "JPEG", Size{800, 600}, nil},
		{"mjpeg missing", fakeCamera{caps: webcamCaps, formats: []fakeFormat{yuyvFormat}},
			Options{Format: "mjpeg"}, "", Size{}, ErrUnsupported},
		{"only h264", fakeCamera{caps: webcamCaps, formats: []fakeFormat{h264Format}},
			Options{}, "", Size{}, ErrUnsupported},
		{"not a capture device", fakeCamera{caps: capStreaming,
			formats: []fakeFormat{mjpegFormat}}, Options{}, "", Size{}, ErrUnsupported},
		{"one buffer granted", fakeCamera{caps: webcamCaps, grant: 1,
			formats: []fakeFormat{mjpegFormat}}, Options{}, "", Size{}, ErrUnsupported},
		{"no frame rate control", fakeCamera{caps: webcamCaps, noParm: true,
			formats: []fakeFormat{mjpegFormat}}, Options{FPS: 5}, "MJPG", Size{640, 480}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cam := tt.cam
			tt.opts.Logger = quiet
			s, err := open(&cam, "/dev/video9", tt.opts)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				if !cam.closed {
					t.Error("device left open after a failed Open")
				}
				return
			}
			defer s.Close()
			fourCC, size := s.Format()
			if fourCC != tt.wantFourCC || size != tt.wantSize {
				t.Errorf("format %s %v, want %s %v", fourCC, size, tt.wantFourCC, tt.wantSize)
			}
			if len(cam.queued) != DefaultBuffers || !cam.streaming {
				t.Errorf("%d buffers queued, streaming %v; want %d and true", len(cam.queued),
					cam.streaming, DefaultBuffers)
			}
		})
	}
}

func TestCaptureMJPEG(t *testing.T) {
	good := testJPEG(t, 640, 480)
	cam := &fakeCamera{caps: webcamCaps, formats: []fakeFormat{mjpegFormat},
		frames: [][]byte{good, nil, good[:300], good, good, good, good, good}}
	s, err := open(cam, "/dev/video0", Options{Timeout: time.Second, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}

	want := []error{nil, sensors.ErrCorruptFrame, sensors.ErrCorruptFrame, nil, nil, nil, nil, nil}
	for i, w := range want {
		f, err := s.Next(context.Background())
		if !errors.Is(err, w) {
			t.Fatalf("frame %d: err %v, want %v", i, err, w)
		}
		if w == nil && f.Image.Bounds().Dx() != 640 {
			t.Errorf("frame %d: bounds %v", i, f.Image.Bounds())
		}
	}
	if _, err := s.Next(context.Background()); !errors.Is(err, ErrTimeout) {
		t.Errorf("after the last frame: err %v, want ErrTimeout", err)
	}

	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if cam.streaming || !cam.closed || cam.unmapped != DefaultBuffers {
		t.Errorf("after Close: streaming %v, closed %v, %d unmapped; want false, true, %d",
			cam.streaming, cam.closed, cam.unmapped, DefaultBuffers)
	}
	wantCalls := "s_fmt MJPG,reqbufs,stream,stream"
	if got := strings.Join(cam.calls, ","); got != wantCalls {
		t.Errorf("calls %s, want %s", got, wantCalls)
	}
}

// yuyvFrame packs a w×h YUYV frame with rows padded to stride bytes: luma
// x+y, Cb 100 and Cr 200.
func yuyvFrame(w, h, stride int) []byte {
	data := make([]byte, stride*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x += 2 {
			i := y*stride + 2*x
			data[i], data[i+1], data[i+2], data[i+3] = byte(x+y), 100, byte(x+1+y), 200
		}
	}
	return data
}

func TestCaptureYUYV(t *testing.T) {
	frame := yuyvFrame(320, 240, 2*320+64)
	cam := &fakeCamera{caps: webcamCaps, formats: []fakeFormat{yuyvFormat},
		frames: [][]byte{frame, frame[:1000]}}
	s, err := open(cam, "/dev/video0", Options{Width: 320, Height: 240, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	f, err := s.Next(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	img, ok := f.Image.(*image.YCbCr)
	if !ok {
		t.Fatalf("image %T, want *image.YCbCr", f.Image)
	}
	for _, p := range []image.Point{{0, 0}, {7, 3}, {319, 239}} {
		got := img.YCbCrAt(p.X, p.Y)
		want := color.YCbCr{byte(p.X + p.Y), 100, 200}
		if got != want {
			t.Errorf("pixel %v = %v, want %v", p, got, want)
		}
	}
	if _, err := s.Next(context.Background()); !errors.Is(err, sensors.ErrCorruptFrame) {
		t.Errorf("short frame: err %v, want ErrCorruptFrame", err)
	}
}

func TestCaptureUnplugged(t *testing.T) {
	good := testJPEG(t, 64, 48)
	cam := &fakeCamera{caps: webcamCaps, formats: []fakeFormat{mjpegFormat},
		frames: [][]byte{good, good, good}, unplugAt: 1}
	s, err := open(cam, "/dev/video0", Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Next(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, err = s.Next(context.Background())
	if err == nil || !strings.Contains(err.Error(), "no such device") {
		t.Errorf("err %v, want one naming ENODEV", err)
	}
}

func TestCaptureStopsOnCancel(t *testing.T) {
	cam := &fakeCamera{caps: webcamCaps, formats: []fakeFormat{mjpegFormat}}
	s, err := open(cam, "/dev/video0", Options{Logger: quiet})
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

func TestDescribe(t *testing.T) {
	cam := &fakeCamera{caps: webcamCaps,
		formats: []fakeFormat{mjpegFormat, {PixelYUYV, "YUYV 4:2:2", nil}}}
	info, err := describe(cam, "/dev/video0")
	if err != nil {
		t.Fatal(err)
	}
	if info.Driver != "uvcvideo" || info.Card != "Fake Webcam C270" || !info.Capture {
		t.Errorf("info %+v", info)
	}
	if len(info.Formats) != 2 {
		t.Fatalf("%d formats, want 2", len(info.Formats))
	}
	mj, yu := info.Formats[0], info.Formats[1]
	if mj.FourCC != "MJPG" || mj.Stepwise || len(mj.Sizes) != 2 || mj.Sizes[1] != (Size{1280, 720}) {
		t.Errorf("MJPG format %+v", mj)
	}
	if yu.FourCC != "YUYV" || !yu.Stepwise || yu.Sizes[1] != (Size{1920, 1080}) {
		t.Errorf("YUYV format %+v", yu)
	}
}

func BenchmarkYUYV(b *testing.B) {
	for _, size := range []Size{{640, 480}, {1280, 720}} {
		b.Run(size.String(), func(b *testing.B) {
			p := pixFormat{Width: uint32(size.Width), Height: uint32(size.Height),
				BytesPerLine: uint32(2 * size.Width)}
			data := yuyvFrame(size.Width, size.Height, 2*size.Width)
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := yuyvImage(data, p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
