package main

import (
	"fmt"
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
	good := filepath.Join(dir, "good.toml")
	bad := filepath.Join(dir, "bad.toml")
	files := map[string]string{
		good: "device_id = \"cam-1\"\n[source]\npath = \"frames\"\n",
		bad:  "device_id = \"cam-1\"\n[source]\npath = \"frames\"\nfsp = 5\n[cluster]\nk = -1\n",
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
		{"example", []string{"config", "check", "../../edgecluster.example.toml"}, 0,
			[]string{": ok"}},
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
	mon := daemon.NewMonitor(nil)
	mon.Frames.Add(5)
	mon.Embedded.Add(4)
	srv := httptest.NewServer(mon.Handler())
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")

	code, out := capture(t, "status", "--addr", addr)
	if code != 1 {
		t.Errorf("exit code %d for a daemon that is not running yet, want 1", code)
	}
	for _, w := range []string{"state:     starting, NOT HEALTHY: pipeline is starting",
		"frames:    5 read, 4 embedded, 0 gated, 0 corrupt", "mqtt:      off"} {
		if !strings.Contains(out, w) {
			t.Errorf("status output lacks %q:\n%s", w, out)
		}
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
