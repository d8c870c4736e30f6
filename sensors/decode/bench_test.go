package decode_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/edge/embed"
	"github.com/edgecluster/edgecluster/models"
	"github.com/edgecluster/edgecluster/sensors/decode"
	"github.com/edgecluster/edgecluster/sensors/gate"
	"github.com/edgecluster/edgecluster/sensors/mjpeg"
)

// benchFrames is the number of frames in each benchmark stream.
const benchFrames = 60

var benchSizes = []struct{ w, h int }{{640, 480}, {1280, 720}}

var (
	streamsMu  sync.Mutex
	streams    = map[string]string{}
	streamsDir string // temporary folder of the streams, removed by TestMain
)

func TestMain(m *testing.M) {
	code := m.Run()
	if streamsDir != "" {
		os.RemoveAll(streamsDir)
	}
	os.Exit(code)
}

// benchStream returns the path of an MJPEG file with the first benchFrames
// frames of the demo clip scaled to w×h by ffmpeg at quality 5 (about 85 %
// in libjpeg terms), close to what a USB camera sends.
func benchStream(b *testing.B, w, h int) string {
	b.Helper()
	key := fmt.Sprintf("%dx%d", w, h)
	streamsMu.Lock()
	defer streamsMu.Unlock()
	if p, ok := streams[key]; ok {
		return p
	}
	if streamsDir == "" {
		dir, err := os.MkdirTemp("", "edgecluster-bench")
		if err != nil {
			b.Fatal(err)
		}
		streamsDir = dir
	}
	path := filepath.Join(streamsDir, key+".mjpeg")
	out, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin",
		"-i", "../../demo/scenes.mjpeg", "-frames:v", strconv.Itoa(benchFrames),
		"-vf", "scale="+strconv.Itoa(w)+":"+strconv.Itoa(h), "-q:v", "5",
		"-f", "mjpeg", path).CombinedOutput()
	if err != nil {
		b.Fatalf("ffmpeg (install the Debian package ffmpeg): %v\n%s", err, out)
	}
	streams[key] = path
	return path
}

// BenchmarkSplitDecodeResize measures one frame through the MJPEG
// splitter, Decode and the embedder's resize to the model input
// (RGB conversion, triangle filter to 300×300, normalisation).
func BenchmarkSplitDecodeResize(b *testing.B) {
	e, err := embed.New(models.Default(), embed.Options{Tensor: models.DefaultTensor})
	if err != nil {
		b.Fatal(err)
	}
	w, h := e.InputSize()
	input := make([]float32, w*h*3)
	for _, size := range benchSizes {
		b.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(b *testing.B) {
			data := readStream(b, benchStream(b, size.w, size.h))
			r := mjpeg.NewReader(bytes.NewReader(data), mjpeg.Options{})
			b.ResetTimer()
			for b.Loop() {
				frame := nextFrame(b, &r, data)
				img, err := decode.Decode(frame, decode.Options{})
				if err != nil {
					b.Fatal(err)
				}
				if err := e.Preprocess(img, input); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "frames/s")
		})
	}
}

// BenchmarkGatedFrame measures the CPU time of a frame the scene gate
// skips: split, Decode and the gate's thumbnail comparison.
func BenchmarkGatedFrame(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(b *testing.B) {
			data := readStream(b, benchStream(b, size.w, size.h))
			r := mjpeg.NewReader(bytes.NewReader(data), mjpeg.Options{})
			first := nextFrame(b, &r, data)
			img, err := decode.Decode(first, decode.Options{})
			if err != nil {
				b.Fatal(err)
			}
			g := gate.New(gate.Options{})
			g.Check(img, time.Time{})
			static := bytes.Repeat(first, 8) // a camera watching a still scene
			r = mjpeg.NewReader(bytes.NewReader(static), mjpeg.Options{})
			b.ResetTimer()
			for b.Loop() {
				img, err := decode.Decode(nextFrame(b, &r, static), decode.Options{})
				if err != nil {
					b.Fatal(err)
				}
				if pass, _ := g.Check(img, time.Time{}); pass {
					b.Fatal("unchanged frame passed the gate")
				}
			}
		})
	}
}

// BenchmarkPeerFFmpegDecode runs ffmpeg, single-threaded, to decode the
// same streams to nothing: the C reference for split plus decode. Each
// iteration is one process over benchFrames frames, start-up included.
func BenchmarkPeerFFmpegDecode(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(b *testing.B) {
			path := benchStream(b, size.w, size.h)
			b.ResetTimer()
			for b.Loop() {
				out, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error",
					"-nostdin", "-threads", "1", "-f", "mjpeg", "-i", path,
					"-f", "null", "-").CombinedOutput()
				if err != nil {
					b.Fatalf("ffmpeg: %v\n%s", err, out)
				}
			}
			b.ReportMetric(float64(b.N*benchFrames)/b.Elapsed().Seconds(), "frames/s")
		})
	}
}

func readStream(b *testing.B, path string) []byte {
	b.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// nextFrame returns the next frame, starting the stream over at its end.
func nextFrame(b *testing.B, r **mjpeg.Reader, data []byte) []byte {
	frame, err := (*r).Next()
	if errors.Is(err, io.EOF) {
		*r = mjpeg.NewReader(bytes.NewReader(data), mjpeg.Options{})
		frame, err = (*r).Next()
	}
	if err != nil {
		b.Fatal(err)
	}
	return frame
}
