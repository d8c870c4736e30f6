package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/edgecluster/edgecluster/daemon"
	"github.com/edgecluster/edgecluster/internal/mqtttest"
)

func TestConfigCheckCommand(t *testing.T) {
	dir := t.TempDir()
	clip, err := filepath.Abs("../../demo/scenes.mjpeg")
	if err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.toml")
	bad := filepath.Join(dir, "bad.toml")
	noSource := filepath.Join(dir, "nosource.toml")
	camera := filepath.Join(dir, "camera.toml")
	files := map[string]string{
		good: fmt.Sprintf("device_id = \"cam-1\"\n[source]\npath = %q\n", clip),
		bad: fmt.Sprintf("device_id = \"cam-1\"\n[source]\npath = %q\nfsp = 5\n"+
			"[cluster]\nk = -1\n", clip),
		noSource: "device_id = \"cam-1\"\n[source]\npath = \"/nonexistent/frames\"\n",
		camera:   "device_id = \"cam-1\"\n[source]\nkind = \"v4l2\"\ndevice = \"/nonexistent/v9\"\n",
	}
	for path, text := range files {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     []string
	}{
		{"valid", []string{"config", "check", good}, 0, []string{good + ": ok"}},
		{"missing source", []string{"config", "check", noSource}, 1,
			[]string{noSource + ":3: source.path: \"/nonexistent/frames\" cannot be opened"}},
		{"missing camera", []string{"config", "check", camera}, 0,
			[]string{camera + ":4: source.device: warning: /nonexistent/v9:", camera + ": ok"}},
		{"unknown key", []string{"config", "check", bad}, 1,
			[]string{bad + ":4: source.fsp: unknown key"}},
		{"missing file", []string{"config", "check", filepath.Join(dir, "none.toml")}, 1, nil},
		{"no subcommand", []string{"config"}, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out := capture(t, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d; output %q", code, tt.wantCode, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output %q lacks %q", out, w)
				}
			}
		})
	}
}

// TestConfigCheckExample checks the example config from the repository
// root, where its relative source.path names the demo clip.
func TestConfigCheckExample(t *testing.T) {
	t.Chdir("../..")
	code, out := capture(t, "config", "check", "edgecluster.example.toml")
	if code != 0 {
		t.Errorf("exit code %d, want 0; output %q", code, out)
	}
	if !strings.Contains(out, "edgecluster.example.toml: ok") {
		t.Errorf("output %q lacks the ok line", out)
	}
}

// TestConfigCheckReportsValuesAfterKeys checks that invalid values are
// reported once the unknown key is fixed, each with its line.
func TestConfigCheckReportsValuesAfterKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.toml")
	text := "device_id = \"cam 1\"\n[source]\npath = \"frames\"\n[cluster]\nk = -1\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := capture(t, "config", "check", path)
	if code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	for _, w := range []string{path + ":1: device_id: \"cam 1\" must be",
		path + ":5: cluster.k: -1 must be 1-1024"} {
		if !strings.Contains(out, w) {
			t.Errorf("output %q lacks %q", out, w)
		}
	}
}

func TestStatusCommand(t *testing.T) {
	tests := []struct {
		name     string
		snap     daemon.Snapshot
		wantCode int
		want     []string
	}{
		{"starting", daemon.Snapshot{State: daemon.StateStarting, Problem: "pipeline is starting",
			Frames: 5, Embedded: 4}, 1, []string{
			"state:     starting, NOT HEALTHY: pipeline is starting",
			"frames:    5 read, 4 embedded, 0 gated, 0 corrupt", "mqtt:      off"}},
		{"running", daemon.Snapshot{Info: daemon.Info{Device: "cam-1", Broker: "tcp://b:1883"},
			State: daemon.StateRunning, Healthy: true, Frames: 90, Embedded: 30, Gated: 60,
			Clusters: 6, Observed: 28, Summaries: 2, InferenceMS: 212.5, Connected: true, Outbox: 1,
			Reconnects: 3}, 0, []string{
			"device:    cam-1", "state:     running, healthy",
			"frames:    90 read, 30 embedded, 60 gated, 0 corrupt",
			"inference: 212.5 ms per frame (mean)", "clusters:  6 with 28 frames, 2 summaries, last never",
			"mqtt:      tcp://b:1883, connected, outbox 1, reconnects 3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter,
				_ *http.Request) {
				json.NewEncoder(w).Encode(tt.snap)
			}))
			defer srv.Close()
			addr := strings.TrimPrefix(srv.URL, "http://")

			code, out := capture(t, "status", "--addr", addr)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d", code, tt.wantCode)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("status output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestStatusWithoutDaemon(t *testing.T) {
	port, err := mqtttest.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	code, out := capture(t, "status", "--addr", addr)
	if code != 1 || out != "" {
		t.Errorf("exit code %d, output %q; want 1 and nothing on stdout", code, out)
	}
}
