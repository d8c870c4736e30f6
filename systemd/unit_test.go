package systemd

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// maxExposure is the highest "systemd-analyze security" score accepted:
// 0 is fully locked down, 10 is unprotected.
const maxExposure = 2.5

func analyze(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Fatal("systemd-analyze not found: install it with 'apt-get install -y systemd'")
	}
	return path
}

// writeUnit writes the unit with ExecStart pointing at a binary that
// exists here, because verify checks that the command is executable.
func writeUnit(t *testing.T) string {
	t.Helper()
	text, err := UnitFor("/bin/true")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), UnitName)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestUnitVerifies(t *testing.T) {
	cmd := exec.Command(analyze(t), "verify", "--man=no", writeUnit(t))
	out, err := cmd.CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}

var exposure = regexp.MustCompile(`Overall exposure level for \S+: ([0-9.]+)`)

func TestUnitSecurityScore(t *testing.T) {
	cmd := exec.Command(analyze(t), "security", "--offline=true", "--no-pager", writeUnit(t))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("systemd-analyze security: %v\n%s", err, out)
	}
	m := exposure.FindSubmatch(out)
	if m == nil {
		t.Fatalf("no exposure level in output:\n%s", out)
	}
	score, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("exposure level %.1f", score)
	if score > maxExposure {
		t.Errorf("exposure level %.1f, want at most %.1f:\n%s", score, maxExposure, out)
	}
}

func TestUnitSettings(t *testing.T) {
	want := []string{
		"Type=notify", "WatchdogSec=", "Restart=on-failure", "StateDirectory=edgecluster",
		"ConfigurationDirectory=edgecluster", "User=edgecluster", "SupplementaryGroups=video",
		"ProtectSystem=strict", "PrivateTmp=yes", "NoNewPrivileges=yes",
		"CapabilityBoundingSet=\n", "DevicePolicy=closed", "DeviceAllow=char-video4linux rw",
	}
	for _, w := range want {
		if !strings.Contains(Unit, "\n"+w) {
			t.Errorf("unit lacks %q", w)
		}
	}
}

func TestUnitFor(t *testing.T) {
	tests := []struct {
		binary, want string
		wantErr      bool
	}{
		{"/opt/edgecluster/bin/edgecluster",
			"ExecStart=/opt/edgecluster/bin/edgecluster run --config", false},
		{"edgecluster", "", true},
		{"/opt/my apps/edgecluster", "", true},
		{"/opt/100%/edgecluster", "", true},
	}
	for _, tt := range tests {
		got, err := UnitFor(tt.binary)
		if (err != nil) != tt.wantErr {
			t.Errorf("UnitFor(%q) error %v, want error %v", tt.binary, err, tt.wantErr)
			continue
		}
		if !strings.Contains(got, tt.want) {
			t.Errorf("UnitFor(%q) has no %q", tt.binary, tt.want)
		}
	}
}
