package daemon

import (
	"context"
	"fmt"

	"github.com/edgecluster/edgecluster/sensors"
	"github.com/edgecluster/edgecluster/sensors/decode"
	"github.com/edgecluster/edgecluster/sensors/gate"
	"github.com/edgecluster/edgecluster/sensors/httpcam"
	"github.com/edgecluster/edgecluster/sensors/pipe"
	"github.com/edgecluster/edgecluster/sensors/replay"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// SourcePasswordEnv is the environment variable that overrides
// source.password, so a camera password need not be written into the
// config file.
const SourcePasswordEnv = "EDGECLUSTER_SOURCE_PASSWORD"

// Source kinds, the values of source.kind.
const (
	KindFile     = "file"     // replay source.path
	KindV4L2     = "v4l2"     // Linux camera at source.device
	KindHTTP     = "http"     // MJPEG stream at source.url
	KindSnapshot = "snapshot" // JPEG polled from source.url every source.interval
	KindPipe     = "pipe"     // MJPEG from the standard output of source.command
)

// LiveSourceConfig holds the source keys of cameras, streams and commands.
// Live sources are reopened with backoff whenever they fail.
type LiveSourceConfig struct {
	// Device is the V4L2 device. "" means /dev/video0.
	Device string `toml:"device"`

	// Width and Height request a capture size from a V4L2 camera. 0 means
	// 640×480. The camera may pick the nearest size it supports.
	Width  int `toml:"width"`
	Height int `toml:"height"`

	// Format is the V4L2 pixel format: "mjpeg", "yuyv", or "" for MJPEG
	// when the camera offers it and YUYV otherwise.
	Format string `toml:"format"`

	// URL is the stream or snapshot URL for kinds "http" and "snapshot".
	URL string `toml:"url"`

	// Username and Password enable HTTP basic auth. The environment
	// variable EDGECLUSTER_SOURCE_PASSWORD overrides Password.
	Username string `toml:"username"`
	Password string `toml:"password"`

	// Command is the program and arguments for kind "pipe".
	Command []string `toml:"command"`

	// Timeout bounds an HTTP connect and the gap between frames. 0 means 10 s.
	Timeout duration `toml:"timeout"`

	// Interval is the snapshot polling period. 0 means 1 s.
	Interval duration `toml:"interval"`

	// MaxPixels rejects frames whose header claims more pixels, before
	// decoding. 0 means 4096×4096.
	MaxPixels int `toml:"max_pixels"`

	// RetryMax caps the backoff between reopen attempts. 0 means 60 s.
	RetryMax duration `toml:"retry_max"`
}

// GateConfig sets the scene-change gate that skips frames too similar to
// the last embedded one.
type GateConfig struct {
	// Threshold is the mean absolute luma difference (0-255) of a frame's
	// thumbnail from the last embedded frame at or above which the frame is
	// embedded. 0 means 4 for live sources and no gate for kind "file",
	// whose frames are usually all wanted. A negative value turns the gate
	// off.
	Threshold float64 `toml:"threshold"`

	// Width is the thumbnail width in pixels. 0 means 32.
	Width int `toml:"width"`

	// Refresh embeds a frame at least this often in a static scene. 0 means
	// never.
	Refresh duration `toml:"refresh"`
}

func (s SourceConfig) kind() string {
	if s.Kind == "" {
		return KindFile
	}
	return s.Kind
}

func (s SourceConfig) validate() []error {
	var ck checker
	check := ck.check
	kind := s.kind()
	check(kind != KindFile && kind != KindV4L2 && kind != KindHTTP && kind != KindSnapshot &&
		kind != KindPipe, "source.kind", "%q must be \"file\", \"v4l2\", \"http\", "+
		"\"snapshot\" or \"pipe\"", s.Kind)
	check(kind == KindFile && s.Path == "", "source.path",
		"is required for kind \"file\": set it to an MJPEG file or image folder in the "+
			"config file, or pass --source FILE to edgecluster run")
	check((kind == KindHTTP || kind == KindSnapshot) && s.URL == "", "source.url",
		"is required for kind %q: the camera's http:// URL", kind)
	check(kind == KindPipe && len(s.Command) == 0, "source.command",
		"is required for kind \"pipe\", such as [\"rpicam-vid\", \"-t\", \"0\", "+
			"\"--codec\", \"mjpeg\", \"-o\", \"-\"]")
	check(s.Format != "" && s.Format != "mjpeg" && s.Format != "yuyv", "source.format",
		"%q must be \"mjpeg\", \"yuyv\" or \"\" (prefer MJPEG)", s.Format)
	check(s.Width < 0 || s.Height < 0 || (s.Width == 0) != (s.Height == 0), "source.width",
		"and source.height (%d×%d) must both be positive or both 0", s.Width, s.Height)
	check(s.MaxPixels < 0, "source.max_pixels", "%d must not be negative", s.MaxPixels)
	return ck.errs
}

func (g GateConfig) validate() []error {
	if g.Width < 0 {
		return []error{&KeyError{Key: "gate.width",
			Message: fmt.Sprintf("%d must not be negative", g.Width)}}
	}
	return nil
}

// sourceName identifies the source in logs and the status, without secrets.
func (s SourceConfig) name() string {
	switch s.kind() {
	case KindV4L2:
		return s.device()
	case KindHTTP, KindSnapshot:
		return httpcam.Redact(s.URL)
	case KindPipe:
		return s.Command[0]
	}
	return s.Path
}

func (s SourceConfig) device() string {
	if s.Device == "" {
		return "/dev/video0"
	}
	return s.Device
}

// openSource opens the configured source. Live sources are wrapped in
// sensors.Retry and only fail later, at a frame, never here.
func (p *pipeline) openSource() (sensors.Source, error) {
	sc := p.cfg.Source
	if sc.kind() == KindFile {
		src, err := replay.Open(sc.Path, replay.Options{FPS: sc.FPS, Loop: sc.Loop,
			Decode: decode.Options{MaxPixels: sc.MaxPixels}, Clock: p.opts.Clock})
		if err != nil {
			return nil, fmt.Errorf("source.path (--source): %w", err)
		}
		return src, nil
	}

	p.srcStatus = &wire.SourceStatus{Name: sc.name(), State: "down",
		Error: "no frame yet", Since: p.clock.Now().UTC()}
	return sensors.Retry(p.liveOpener(), sensors.RetryOptions{Name: sc.name(),
		MaxBackoff: sc.RetryMax.Duration, OnState: p.onSourceState,
		Clock: p.opts.Clock, Logger: p.base}), nil
}

// liveOpener returns the function that opens the configured live source.
func (p *pipeline) liveOpener() sensors.Opener {
	sc := p.cfg.Source
	dec := decode.Options{MaxPixels: sc.MaxPixels}
	web := httpcam.Options{URL: sc.URL, Username: sc.Username, Password: sc.Password,
		Timeout: sc.Timeout.Duration, Interval: sc.Interval.Duration, FPS: sc.FPS,
		Decode: dec, Clock: p.opts.Clock, Logger: p.base}
	switch sc.kind() {
	case KindHTTP:
		return func(ctx context.Context) (sensors.Source, error) {
			return httpcam.OpenStream(ctx, web)
		}
	case KindSnapshot:
		return func(context.Context) (sensors.Source, error) {
			return httpcam.NewSnapshot(web), nil
		}
	case KindV4L2:
		return p.v4l2Opener(dec)
	}
	opts := pipe.Options{Command: sc.Command, FPS: sc.FPS, Decode: dec,
		Clock: p.opts.Clock, Logger: p.base}
	return func(context.Context) (sensors.Source, error) { return pipe.Start(opts) }
}

// onSourceState receives a live source going up or down. On the frame
// reader's goroutine it hands the change to the pipeline.
func (p *pipeline) onSourceState(st sensors.State) {
	if r := p.reader; r != nil {
		r.states <- st
		return
	}
	p.applySourceState(st)
}

// applySourceState records a live source going up or down and publishes it.
func (p *pipeline) applySourceState(st sensors.State) {
	s := &wire.SourceStatus{Name: p.cfg.Source.name(), State: "up",
		Since: p.clock.Now().UTC()}
	if !st.Up {
		s.State, s.Error = "down", st.Err.Error()
	}
	p.srcStatus = s
	if p.uplink != nil {
		p.publishStatus(wire.StateOnline)
	}
}

// newGate returns the scene-change gate, or nil when it is off.
func newGate(cfg Config) *gate.Gate {
	t := cfg.Gate.Threshold
	if t < 0 || (t == 0 && cfg.Source.kind() == KindFile) {
		return nil
	}
	return gate.New(gate.Options{Threshold: t, Width: cfg.Gate.Width,
		Refresh: cfg.Gate.Refresh.Duration})
}

// gated reports whether f is skipped by the gate, counting frames a live
// source dropped before it and f itself when it is skipped.
func (p *pipeline) gated(f sensors.Frame) bool {
	p.countSeen(f.Skipped)
	p.counters.Gated += f.Skipped
	if p.gate == nil {
		return false
	}
	if pass, _ := p.gate.Check(f.Image, f.Time); pass {
		return false
	}
	p.countSeen(1)
	p.counters.Gated++
	return true
}
