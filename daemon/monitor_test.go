package daemon

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/internal/clock"
)

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(body)
}

// TestMonitorCountsRun runs the pipeline over a clip with one corrupt frame
// and reads the counters back through the HTTP handler.
func TestMonitorCountsRun(t *testing.T) {
	frames := clipFrames(t, 0, 12)
	frames = append(frames, []byte("\xff\xd8\xff\xe0garbage"))
	cfg := testConfig(t, writeClip(t, frames), filepath.Join(t.TempDir(), "s.db"))
	opts := testOptions()
	opts.Monitor = NewMonitor(opts.Clock)
	var readyHealthy bool
	opts.Ready = func() { readyHealthy, _ = opts.Monitor.Healthy() }
	h := opts.Monitor.Handler()

	if code, _ := get(t, h, "/healthz"); code != http.StatusServiceUnavailable {
		t.Errorf("/healthz before the run: %d, want 503", code)
	}
	res, err := Run(context.Background(), cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !readyHealthy {
		t.Error("monitor not healthy when Ready was called")
	}

	_, text := get(t, h, "/metrics")
	for _, want := range []string{
		"edgecluster_frames_total 13\n",
		"edgecluster_frames_embedded_total 12\n",
		"edgecluster_frames_corrupt_total 1\n",
		"edgecluster_inference_ms_count 12\n",
		"edgecluster_clusters 3\n",
		"edgecluster_summaries_total 2\n",
		"edgecluster_up 0\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %q", strings.TrimSpace(want))
		}
	}
	if res.Summaries != 2 {
		t.Errorf("run made %d summaries, want 2 (the metrics above assume it)", res.Summaries)
	}

	code, body := get(t, h, "/healthz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "pipeline is stopped") {
		t.Errorf("/healthz after the run: %d %q, want 503 naming the stopped pipeline", code, body)
	}
	var snap Snapshot
	if _, body := get(t, h, "/status"); json.Unmarshal([]byte(body), &snap) != nil {
		t.Fatalf("/status is not JSON: %s", body)
	}
	if snap.Device != "cam-test" || snap.State != StateStopped || snap.Embedded != 12 {
		t.Errorf("/status device %q state %q embedded %d, want cam-test stopped 12",
			snap.Device, snap.State, snap.Embedded)
	}
}

func TestMonitorHealth(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		state   string
		busy    bool
		advance time.Duration
		want    bool
		problem string
	}{
		{"starting", StateStarting, false, 0, false, "pipeline is starting"},
		{"running idle", StateRunning, false, time.Hour, true, ""},
		{"running busy", StateRunning, true, 30 * time.Second, true, ""},
		{"stalled", StateRunning, true, 2 * time.Minute, false, "has run for 2m0s"},
		{"stopping", StateStopping, false, 0, false, "pipeline is stopping"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := clock.NewFake(start)
			m := NewMonitor(c)
			m.setState(tt.state)
			if tt.busy {
				m.busy()
			}
			c.Advance(tt.advance)
			ok, problem := m.Healthy()
			if ok != tt.want {
				t.Errorf("healthy %v, want %v (%s)", ok, tt.want, problem)
			}
			if !strings.Contains(problem, tt.problem) || (tt.problem == "") != (problem == "") {
				t.Errorf("problem %q, want one containing %q", problem, tt.problem)
			}
		})
	}
}
