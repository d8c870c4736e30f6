package pipe

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/internal/clock"
	"github.com/edgecluster/edgecluster/sensors"
)

// ffmpegCommand returns an ffmpeg command that writes n frames of its
// built-in test pattern as MJPEG to standard output.
func ffmpegCommand(t *testing.T, n int, size string) []string {
	t.Helper()
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Fatal("ffmpeg not found: install the Debian package ffmpeg (.ci/run does)")
	}
	return []string{"ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
		"-f", "lavfi", "-i", "testsrc=size=" + size + ":rate=25",
		"-frames:v", strconv.Itoa(n), "-f", "mjpeg", "-q:v", "5", "-"}
}

// logBuffer is a slog handler target safe for the stderr goroutine.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func TestPipeReadsFFmpeg(t *testing.T) {
	s, err := Start(Options{Command: ffmpegCommand(t, 12, "320x240"),
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	for i := 0; i < 12; i++ {
		f, err := s.Next(context.Background())
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		if got := f.Image.Bounds().Size(); got.X != 320 || got.Y != 240 {
			t.Errorf("frame %d: size %v, want 320x240", i, got)
		}
	}
	_, err = s.Next(context.Background())
	if !errors.Is(err, ErrExited) || !strings.Contains(err.Error(), "exit status 0") {
		t.Errorf("after the last frame: err %v, want ErrExited with exit status 0", err)
	}
}

func TestPipeLogsStderrAndExitStatus(t *testing.T) {
	var logs logBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	s, err := Start(Options{Command: []string{"ffmpeg", "-hide_banner", "-nostdin",
		"-i", "/nonexistent/clip.mp4", "-f", "mjpeg", "-"}, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	_, err = s.Next(context.Background())
	if !errors.Is(err, ErrExited) || !strings.Contains(err.Error(), "exit status") {
		t.Errorf("err %v, want ErrExited with a non-zero exit status", err)
	}
	if !strings.Contains(logs.String(), "No such file or directory") {
		t.Errorf("logs do not contain ffmpeg's error line:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "component=pipe") {
		t.Errorf("logs lack component=pipe:\n%s", logs.String())
	}
}

func TestPipeStartErrors(t *testing.T) {
	tests := []struct {
		name    string
		command []string
		want    string
	}{
		{"empty", nil, "no command"},
		{"missing program", []string{"/nonexistent/rpicam-vid"}, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Start(Options{Command: tt.command})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestPipeRateLimit(t *testing.T) {
	fake := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	s, err := Start(Options{Command: ffmpegCommand(t, 6, "64x48"), FPS: 1, Clock: fake,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	// The fake clock does not move, so only the first frame is due.
	f, err := s.Next(context.Background())
	if err != nil || f.Skipped != 0 {
		t.Fatalf("first frame: skipped %d, err %v", f.Skipped, err)
	}
	if _, err := s.Next(context.Background()); !errors.Is(err, ErrExited) {
		t.Errorf("err %v, want ErrExited after five dropped frames", err)
	}
}

func TestPipeCancelKillsCommand(t *testing.T) {
	s, err := Start(Options{Command: []string{"sleep", "60"},
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := s.Next(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err %v, want context.DeadlineExceeded", err)
	}
}

// TestPipeRestartsUnderRetry reads more frames than one ffmpeg run makes.
func TestPipeRestartsUnderRetry(t *testing.T) {
	cmd := ffmpegCommand(t, 4, "64x48")
	starts := 0
	src := sensors.Retry(func(context.Context) (sensors.Source, error) {
		starts++
		return Start(Options{Command: cmd, Logger: slog.New(slog.DiscardHandler)})
	}, sensors.RetryOptions{Clock: clock.NewFake(time.Now()),
		Logger: slog.New(slog.DiscardHandler)})
	defer src.Close()

	for i := 0; i < 10; i++ {
		if _, err := src.Next(context.Background()); err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
	}
	if starts != 3 {
		t.Errorf("command started %d times, want 3", starts)
	}
}
