package httpcam

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/internal/clock"
	"github.com/edgecluster/edgecluster/sensors"
)

func testJPEG(t testing.TB, shade uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 32, 24))
	for i := range img.Pix {
		img.Pix[i] = shade
	}
	img.Set(0, 0, color.White)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// corruptJPEG keeps the headers of a JPEG and replaces its scan with junk.
func corruptJPEG(data []byte) []byte {
	out := append([]byte{}, data...)
	sos := bytes.Index(out, []byte{0xFF, 0xDA})
	for i := sos + 20; i < len(out)-2; i++ {
		out[i] = 0xFF
	}
	return out
}

var quiet = slog.New(slog.DiscardHandler)

// oddStream writes the parts of a camera with several framing quirks, then
// half a frame, and drops the connection without ending the response.
func oddStream(t *testing.T, good, bad []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		fmt.Fprint(buf, "HTTP/1.1 200 OK\r\n"+
			"Content-Type: multipart/x-mixed-replace;boundary=--myboundary\r\n\r\n")
		fmt.Fprintf(buf, "--myboundary\r\nContent-Type: image/jpeg\r\nContent-Length: %d\r\n\r\n",
			len(good))
		buf.Write(good)
		fmt.Fprint(buf, "\r\n--myboundary\r\nContent-Type: image/jpeg\r\n\r\n")
		buf.Write(bad)
		fmt.Fprint(buf, "\r\n----myboundary\n\n")
		buf.Write(good)
		fmt.Fprint(buf, "\n--myboundary\r\n")
		buf.Write(good)
		fmt.Fprint(buf, "\r\n--myboundary\r\n\r\n")
		buf.Write(good[:len(good)/2])
		buf.Flush()
	}
}

func TestStreamQuirksAndDisconnect(t *testing.T) {
	good := testJPEG(t, 90)
	srv := httptest.NewServer(oddStream(t, good, corruptJPEG(good)))
	defer srv.Close()

	s, err := OpenStream(context.Background(), Options{URL: srv.URL, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	want := []error{nil, sensors.ErrCorruptFrame, nil, nil, sensors.ErrCorruptFrame}
	for i, w := range want {
		f, err := s.Next(context.Background())
		if !errors.Is(err, w) {
			t.Fatalf("frame %d: err %v, want %v", i, err, w)
		}
		if w == nil && f.Image.Bounds().Dx() != 32 {
			t.Errorf("frame %d: bounds %v, want 32x24", i, f.Image.Bounds())
		}
	}
	_, err = s.Next(context.Background())
	if err == nil || errors.Is(err, sensors.ErrCorruptFrame) {
		t.Fatalf("after disconnect: err %v, want a stream error", err)
	}
	if !strings.Contains(err.Error(), "ended the stream") {
		t.Errorf("after disconnect: err %q does not say the stream ended", err)
	}
}

// multipartHandler serves n copies of frame as a standard MJPEG stream,
// then waits for the client to go away when hold is set.
func multipartHandler(frame []byte, n int, hold bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "multipart/x-mixed-replace; boundary=frame")
		for i := 0; i < n; i++ {
			fmt.Fprintf(w, "--frame\r\nContent-Type: image/jpeg\r\nContent-Length: %d\r\n\r\n",
				len(frame))
			w.Write(frame)
			fmt.Fprint(w, "\r\n")
			w.(http.Flusher).Flush()
		}
		if hold {
			<-r.Context().Done()
		}
	}
}

func TestStreamTimesOutWhenStalled(t *testing.T) {
	srv := httptest.NewServer(multipartHandler(testJPEG(t, 10), 1, true))
	defer srv.Close()

	s, err := OpenStream(context.Background(),
		Options{URL: srv.URL, Timeout: 200 * time.Millisecond, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Next(context.Background()); err != nil {
		t.Fatalf("first frame: %v", err)
	}
	_, err = s.Next(context.Background())
	if err == nil || !strings.Contains(err.Error(), "no frame for 200ms") {
		t.Errorf("stalled stream: err %v, want a timeout naming 200ms", err)
	}
}

func TestStreamOpenErrors(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html>camera</html>")
	})
	mux.HandleFunc("/auth", func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "cam" || p != "s3cret" {
			w.Header().Set("WWW-Authenticate", `Basic realm="cam"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		multipartHandler(testJPEG(t, 50), 1, false)(w, r)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	withUser := strings.Replace(srv.URL, "http://", "http://cam:s3cret@", 1)

	tests := []struct {
		name string
		opts Options
		want error
	}{
		{"html page", Options{URL: srv.URL + "/page"}, ErrContentType},
		{"missing", Options{URL: srv.URL + "/missing"}, ErrStatus},
		{"no credentials", Options{URL: srv.URL + "/auth"}, ErrStatus},
		{"wrong password", Options{URL: srv.URL + "/auth", Username: "cam", Password: "x"},
			ErrStatus},
		{"basic auth", Options{URL: srv.URL + "/auth", Username: "cam", Password: "s3cret"}, nil},
		{"credentials in URL", Options{URL: withUser + "/auth"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Logger = quiet
			s, err := OpenStream(context.Background(), tt.opts)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err %v, want %v", err, tt.want)
			}
			if err != nil {
				if strings.Contains(err.Error(), "s3cret") {
					t.Errorf("error %q contains the password", err)
				}
				return
			}
			defer s.Close()
			if _, err := s.Next(context.Background()); err != nil {
				t.Errorf("first frame: %v", err)
			}
		})
	}
}

func TestStreamBadURL(t *testing.T) {
	for _, u := range []string{"", "rtsp://cam/stream", "http://"} {
		if _, err := OpenStream(context.Background(), Options{URL: u}); err == nil {
			t.Errorf("URL %q: no error", u)
		}
	}
}

// TestStreamReconnects runs a stream behind sensors.Retry against a server
// that drops every connection after two frames.
func TestStreamReconnects(t *testing.T) {
	var conns atomic.Int32
	frame := testJPEG(t, 70)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conns.Add(1)
		multipartHandler(frame, 2, false)(w, r)
	}))
	defer srv.Close()

	var downs int
	src := sensors.Retry(func(ctx context.Context) (sensors.Source, error) {
		return OpenStream(ctx, Options{URL: srv.URL, Logger: quiet})
	}, sensors.RetryOptions{Clock: clock.NewFake(time.Now()), Logger: quiet,
		OnState: func(s sensors.State) {
			if !s.Up {
				downs++
			}
		}})
	defer src.Close()

	for i := 0; i < 5; i++ {
		f, err := src.Next(context.Background())
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		if f.Seq != uint64(i) {
			t.Errorf("frame %d: Seq %d", i, f.Seq)
		}
	}
	if got := conns.Load(); got != 3 {
		t.Errorf("%d connections, want 3", got)
	}
	if downs != 2 {
		t.Errorf("source went down %d times, want 2", downs)
	}
}
