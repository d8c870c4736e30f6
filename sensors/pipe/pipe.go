package pipe

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/edgecluster/edgecluster/internal/clock"
	"github.com/edgecluster/edgecluster/sensors"
	"github.com/edgecluster/edgecluster/sensors/decode"
	"github.com/edgecluster/edgecluster/sensors/mjpeg"
)

// MaxLoggedLines is how many standard error lines of one run are logged.
// Later lines are counted and the count is logged when the command exits.
const MaxLoggedLines = 50

// pipeWait bounds the wait for the output pipes after the command exits.
const pipeWait = 2 * time.Second

// ErrExited marks the end of the stream because the command exited.
var ErrExited = errors.New("pipe: command exited")

// Options configures a Source. The zero value of every field but Command is
// a documented default.
type Options struct {
	// Command is the program and its arguments. The program is looked up
	// in PATH. Required.
	Command []string

	// FPS limits the frame rate; frames that arrive sooner are dropped
	// before decoding. 0 means no limit.
	FPS float64

	// MaxFrameBytes bounds one frame. 0 means mjpeg.DefaultMaxFrameBytes.
	MaxFrameBytes int

	// Decode sets the decode limits.
	Decode decode.Options

	Clock  clock.Clock
	Logger *slog.Logger
}

// Source is a running command whose output is read as MJPEG. It implements
// sensors.Source.
type Source struct {
	cmd    *exec.Cmd
	proc   *os.Process // set once by Start, so kill may run on another goroutine
	done   bool        // Wait has returned
	log    *slog.Logger
	frames *mjpeg.Reader
	framer *decode.Framer
	stderr chan struct{} // closed when standard error is drained
}

// Start starts the command.
func Start(opts Options) (*Source, error) {
	if len(opts.Command) == 0 || opts.Command[0] == "" {
		return nil, errors.New("pipe: no command: give the program and its arguments")
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	log = log.With("component", "pipe", "program", opts.Command[0])

	cmd, stdout, stderr, err := startCommand(opts.Command)
	if err != nil {
		return nil, err
	}
	log.Info("command started", "pid", cmd.Process.Pid, "args", strings.Join(opts.Command[1:], " "))

	s := &Source{cmd: cmd, proc: cmd.Process, log: log, stderr: make(chan struct{}),
		frames: mjpeg.NewReader(stdout, mjpeg.Options{MaxFrameBytes: opts.MaxFrameBytes}),
		framer: decode.NewFramer(decode.FramerOptions{FPS: opts.FPS, Decode: opts.Decode,
			Clock: opts.Clock})}
	go s.logStderr(stderr)
	return s, nil
}

// startCommand starts argv with pipes on its standard output and error.
func startCommand(argv []string) (*exec.Cmd, io.Reader, io.Reader, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	// A child of the command may keep its output open after it exits.
	// WaitDelay makes Wait close the pipes anyway.
	cmd.WaitDelay = pipeWait
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("pipe: %w", err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("pipe: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, nil, fmt.Errorf("pipe: start %q: %w", argv[0], err)
	}
	return cmd, stdout, stderr, nil
}

// logStderr logs the first MaxLoggedLines lines of standard error and
// counts the rest. Carriage returns also end a line, as in ffmpeg's
// progress output.
func (s *Source) logStderr(r io.Reader) {
	defer close(s.stderr)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 4096), 64<<10)
	sc.Split(scanLines)
	n := 0
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		n++
		if n <= MaxLoggedLines {
			s.log.Info("command stderr", "line", line)
		}
	}
	if n > MaxLoggedLines {
		s.log.Info("command stderr lines not logged", "count", n-MaxLoggedLines)
	}
}

// scanLines is bufio.ScanLines that also splits at '\r'.
func scanLines(data []byte, atEOF bool) (int, []byte, error) {
	for i, b := range data {
		if b == '\n' || b == '\r' {
			return i + 1, data[:i], nil
		}
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}

// Next returns the next frame. A frame that is cut short or does not
// decode comes back with an error wrapping sensors.ErrCorruptFrame. When
// the command closes its output, Next waits for it to exit and returns an
// error wrapping ErrExited. Cancelling ctx kills the command.
func (s *Source) Next(ctx context.Context) (sensors.Frame, error) {
	stop := context.AfterFunc(ctx, s.kill)
	defer stop()
	for {
		data, err := s.frames.Next()
		if ctx.Err() != nil {
			return sensors.Frame{}, ctx.Err()
		}
		if isFrameError(err) {
			return sensors.Frame{}, fmt.Errorf("%w: %v", sensors.ErrCorruptFrame, err)
		}
		if err != nil {
			return sensors.Frame{}, s.exited(err)
		}
		f, ok, err := s.framer.Frame(data)
		if ok {
			return f, err
		}
	}
}

func isFrameError(err error) bool {
	return errors.Is(err, mjpeg.ErrTruncated) || errors.Is(err, mjpeg.ErrMalformed) ||
		errors.Is(err, mjpeg.ErrTooLarge)
}

// exited waits for the command after its output ended and describes how it
// ended.
func (s *Source) exited(readErr error) error {
	select {
	case <-s.stderr: // log the command's last words before reporting the exit
	case <-time.After(pipeWait):
	}
	err := s.cmd.Wait()
	s.done = true
	if !errors.Is(readErr, io.EOF) {
		return fmt.Errorf("%w: read output: %v (exit: %v)", ErrExited, readErr, err)
	}
	if err != nil {
		return fmt.Errorf("%w: %v", ErrExited, err)
	}
	return fmt.Errorf("%w: exit status 0", ErrExited)
}

// kill ends the command. After Wait, the error "process already finished"
// is expected and ignored.
func (s *Source) kill() { _ = s.proc.Kill() }

// Close kills the command if it still runs and waits for it.
func (s *Source) Close() error {
	if s.done {
		return nil
	}
	s.kill()
	_ = s.cmd.Wait() // the kill makes Wait report "signal: killed"
	<-s.stderr
	s.done = true
	s.log.Info("command stopped")
	return nil
}
