package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/edgecluster/edgecluster/models"
	"github.com/edgecluster/edgecluster/systemd"
)

const repoRoot = "../.."

func need(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not found: install Debian's dpkg package", tool)
		}
	}
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// buildPackage compiles the amd64 binary and packages it.
func buildPackage(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "edgecluster")
	cmd := exec.Command("go", "build", "-trimpath", "-o", bin, "./cmd/edgecluster")
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	deb, err := build(options{Arch: "amd64", Binary: bin, Version: "v1.2.3",
		Root: repoRoot, Out: filepath.Join(dir, "dist")})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(deb) != "edgecluster_1.2.3_amd64.deb" {
		t.Errorf("package name %s, want edgecluster_1.2.3_amd64.deb", filepath.Base(deb))
	}
	return deb
}

// unpack installs the package's files into a fresh dpkg database under a
// temporary root. --unpack runs no maintainer script, so the machine's
// users and services are untouched.
func unpack(t *testing.T, deb string) string {
	t.Helper()
	root := t.TempDir()
	for _, d := range []string{"var/lib/dpkg/info", "var/lib/dpkg/updates"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "var/lib/dpkg/status"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, "dpkg", "--root="+root, "--force-not-root", "--force-bad-path", "--unpack", deb)
	return root
}

func TestDebInstallsWithDpkg(t *testing.T) {
	need(t, "dpkg", "dpkg-deb")
	deb := buildPackage(t)
	root := unpack(t, deb)

	status := run(t, "dpkg", "--root="+root, "-s", "edgecluster")
	for _, want := range []string{"Status: install ok unpacked", "Architecture: amd64",
		"Version: 1.2.3", "Conffiles:\n /etc/edgecluster/config.toml "} {
		if !strings.Contains(status, want) {
			t.Errorf("dpkg -s lacks %q:\n%s", want, status)
		}
	}

	checkFiles(t, root)
	checkUnit(t, root)
	checkModel(t, root)
	checkInstalledConfig(t, root)
}

func checkFiles(t *testing.T, root string) {
	t.Helper()
	want := map[string]os.FileMode{
		"usr/bin/edgecluster":                                0o755,
		"lib/systemd/system/edgecluster.service":             0o644,
		"etc/edgecluster/config.toml.dpkg-new":               0o640,
		"usr/share/doc/edgecluster/edgecluster.example.toml": 0o644,
		"usr/share/edgecluster/models/" + modelFile:          0o644,
		"usr/share/edgecluster/models/LICENSE.model":         0o644,
		"usr/share/doc/edgecluster/README.md":                0o644,
		"var/lib/dpkg/info/edgecluster.postinst":             0o755,
		"var/lib/dpkg/info/edgecluster.prerm":                0o755,
		"var/lib/dpkg/info/edgecluster.postrm":               0o755,
	}
	for path, mode := range want {
		st, err := os.Stat(filepath.Join(root, path))
		if err != nil {
			t.Errorf("missing %s: %v", path, err)
			continue
		}
		if st.Mode().Perm() != mode {
			t.Errorf("%s has mode %v, want %v", path, st.Mode().Perm(), mode)
		}
	}
}

func checkUnit(t *testing.T, root string) {
	t.Helper()
	got, err := os.ReadFile(filepath.Join(root, "lib/systemd/system/edgecluster.service"))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != systemd.Unit {
		t.Error("installed unit differs from systemd/edgecluster.service")
	}
}

func checkModel(t *testing.T, root string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "usr/share/edgecluster/models", modelFile))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); got != models.DefaultSHA256 {
		t.Errorf("packaged model sha256 %s, want %s", got, models.DefaultSHA256)
	}
}

// checkInstalledConfig runs the packaged binary's "config check" on the
// packaged config, and on a broken copy of it to see that it can fail.
func checkInstalledConfig(t *testing.T, root string) {
	t.Helper()
	bin := filepath.Join(root, "usr/bin/edgecluster")
	config := filepath.Join(root, "etc/edgecluster/config.toml.dpkg-new")
	out := run(t, bin, "config", "check", config)
	if !strings.HasSuffix(strings.TrimSpace(out), ": ok") {
		t.Errorf("config check output %q, want ok", out)
	}

	data, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"state = \"/var/lib/edgecluster/edgecluster.db\"",
		"kind = \"v4l2\"", "device = \"/dev/video0\""} {
		if !strings.Contains(string(data), want) {
			t.Errorf("packaged config lacks %q", want)
		}
	}
	broken := filepath.Join(t.TempDir(), "config.toml")
	text := strings.Replace(string(data), "k = 8", "k = \"8\"", 1)
	if err := os.WriteFile(broken, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	bad, err := exec.Command(bin, "config", "check", broken).CombinedOutput()
	if err == nil || !strings.Contains(string(bad), "cluster.k: incompatible types") {
		t.Errorf("config check of a wrong type: err %v, output %q", err, bad)
	}
}

func TestMaintainerScripts(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"postinst", postinst, []string{"useradd --system", "usermod --append --groups video",
			"install -d -o \"$user\" -g \"$user\" -m 0750 \"$state\"",
			"systemctl enable edgecluster.service"}},
		{"prerm", prerm, []string{"systemctl stop edgecluster.service"}},
		{"postrm", postrm, []string{"systemctl disable edgecluster.service",
			"rm -rf /var/lib/edgecluster"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tt.name)
			if err := os.WriteFile(path, []byte(tt.text), 0o755); err != nil {
				t.Fatal(err)
			}
			run(t, "sh", "-n", path)
			for _, w := range tt.want {
				if !strings.Contains(tt.text, w) {
					t.Errorf("%s lacks %q", tt.name, w)
				}
			}
		})
	}
}

func TestInstalledConfig(t *testing.T) {
	tests := []struct {
		name, example, want string
		wantErr             bool
	}{
		{"all edits", "state = \"edgecluster.db\"\n[source]\nkind = \"file\"\n" +
			"path = \"demo/scenes.mjpeg\"\n",
			"state = \"/var/lib/edgecluster/edgecluster.db\"\n[source]\nkind = \"v4l2\"\n" +
				"path = \"\"\n", false},
		{"state missing", "[source]\nkind = \"file\"\npath = \"demo/scenes.mjpeg\"\n", "",
			true},
		{"path twice", "state = \"edgecluster.db\"\nkind = \"file\"\n" +
			"path = \"demo/scenes.mjpeg\"\npath = \"demo/scenes.mjpeg\"\n", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := installedConfig(tt.example)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err %v, want error %v", err, tt.wantErr)
			}
			if !tt.wantErr && !strings.HasSuffix(got, tt.want) {
				t.Errorf("config\n%s\nwant it to end with\n%s", got, tt.want)
			}
		})
	}
}

func TestBuildRejectsBadOptions(t *testing.T) {
	tests := []struct {
		name string
		o    options
		want string
	}{
		{"arch", options{Arch: "mips", Binary: "x"}, "--arch \"mips\""},
		{"binary", options{Arch: "arm64"}, "--binary is required"},
	}
	for _, tt := range tests {
		_, err := build(tt.o)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err %v, want one containing %q", tt.name, err, tt.want)
		}
	}
}
