package pgtest

import (
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestServerAcceptsQueries(t *testing.T) {
	s := Start(t)
	dsn := s.NewDatabase()

	out, err := exec.Command(filepath.Join(s.bin, "psql"), "-X", "-A", "-t", "-d", dsn,
		"-c", "SELECT current_database()").CombinedOutput()
	if err != nil {
		t.Fatalf("psql: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != "test1" {
		t.Errorf("current database %q, want test1", got)
	}
	s.Stop()
	if err := exec.Command(filepath.Join(s.bin, "pg_isready"), "-q", "-h", "127.0.0.1",
		"-p", strconv.Itoa(s.Port)).Run(); err == nil {
		t.Error("server still accepts connections after Stop")
	}
}
