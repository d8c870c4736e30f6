package daemon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/edgecluster/edgecluster/internal/mqtttest"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// cancelAfter is an assignments writer that cancels a run after n lines.
type cancelAfter struct {
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) Write(p []byte) (int, error) {
	c.n -= bytes.Count(p, []byte("\n"))
	if c.n <= 0 {
		c.cancel()
	}
	return len(p), nil
}

// statusRecorder collects the source states a device publishes.
type statusRecorder struct {
	mu     sync.Mutex
	states []wire.SourceStatus
}

func (r *statusRecorder) handle(_ mqtt.Client, m mqtt.Message) {
	var st wire.Status
	if json.Unmarshal(m.Payload(), &st) != nil || st.Source == nil {
		return
	}
	r.mu.Lock()
	r.states = append(r.states, *st.Source)
	r.mu.Unlock()
}

func (r *statusRecorder) find(state, errPart string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.states {
		if s.State == state && strings.Contains(s.Error, errPart) {
			return true
		}
	}
	return false
}

func subscribe(t *testing.T, url, topic string, h mqtt.MessageHandler) {
	t.Helper()
	c := mqtt.NewClient(mqtt.NewClientOptions().AddBroker(url).SetClientID("status-watch"))
	if tok := c.Connect(); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("connect: %v", tok.Error())
	}
	t.Cleanup(func() { c.Disconnect(100) })
	if tok := c.Subscribe(topic, 1, h); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("subscribe: %v", tok.Error())
	}
}

// TestRunPipeSourceRestartsAndGates runs the daemon on a command that
// prints a short clip, whose last frame repeats, and then fails. The daemon
// must restart it, gate the repeats and publish the source as down.
func TestRunPipeSourceRestartsAndGates(t *testing.T) {
	broker := mqtttest.Start(t)
	var rec statusRecorder
	subscribe(t, broker.URL, "edgecluster/cam-test/status", rec.handle)

	frames := clipFrames(t, 0, 8)
	last := frames[len(frames)-1]
	clip := writeClip(t, append(frames, last, last, last))

	cfg := testConfig(t, "", filepath.Join(t.TempDir(), "s.db"))
	cfg.Source = SourceConfig{Kind: KindPipe, LiveSourceConfig: LiveSourceConfig{
		Command: []string{"sh", "-c", `cat "$0"; echo "camera lost" >&2; exit 3`, clip}}}
	cfg.MQTT.Broker = broker.URL

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	opts := testOptions()
	opts.Once = false
	opts.Assignments = &cancelAfter{n: 12, cancel: cancel}
	res, err := Run(ctx, cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatal("run did not reach 12 embedded frames in 2 minutes")
	}

	f := res.Frames
	if f.Gated < 3 {
		t.Errorf("gated %d frames, want at least the 3 repeats", f.Gated)
	}
	if f.Embedded < 12 {
		t.Errorf("embedded %d frames, want at least 12 across two runs of the command", f.Embedded)
	}
	if f.Seen != f.Embedded+f.Gated+f.Corrupt {
		t.Errorf("seen %d != embedded %d + gated %d + corrupt %d", f.Seen, f.Embedded,
			f.Gated, f.Corrupt)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !rec.find("down", "exit status 3") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if !rec.find("down", "exit status 3") {
		t.Errorf("no status with the source down and exit status 3; got %+v", rec.states)
	}
	if !rec.find("up", "") {
		t.Errorf("no status with the source up; got %+v", rec.states)
	}
}

func TestValidateSourceKeys(t *testing.T) {
	tests := []struct {
		name   string
		source SourceConfig
		want   string
	}{
		{"file without path", SourceConfig{}, "source.path"},
		{"unknown kind", SourceConfig{Kind: "rtsp"}, "source.kind"},
		{"http without url", SourceConfig{Kind: KindHTTP}, "source.url"},
		{"snapshot without url", SourceConfig{Kind: KindSnapshot}, "source.url"},
		{"pipe without command", SourceConfig{Kind: KindPipe}, "source.command"},
		{"bad format", SourceConfig{Kind: KindV4L2,
			LiveSourceConfig: LiveSourceConfig{Format: "h264"}}, "source.format"},
		{"half a size", SourceConfig{Kind: KindV4L2,
			LiveSourceConfig: LiveSourceConfig{Width: 640}}, "source.width"},
		{"v4l2 defaults", SourceConfig{Kind: KindV4L2}, ""},
		{"http", SourceConfig{Kind: KindHTTP,
			LiveSourceConfig: LiveSourceConfig{URL: "http://cam/video"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Config{DeviceID: "cam-1", Source: tt.source}
			err := cfg.Validate()
			if tt.want == "" {
				if err != nil {
					t.Errorf("err %v, want none", err)
				}
				return
			}
			if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want ErrConfig naming %s", err, tt.want)
			}
		})
	}
}
