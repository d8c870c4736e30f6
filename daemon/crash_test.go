package daemon

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/edge/store"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// crashEveryFrames is the commit window of the crash test's daemon.
const crashEveryFrames = 5

// crashCycles returns the number of kill cycles: EDGECLUSTER_CRASH_CYCLES
// when set, else 3 (scripts/bench/crash.sh runs 200).
func crashCycles(t *testing.T) int {
	raw := os.Getenv("EDGECLUSTER_CRASH_CYCLES")
	if raw == "" {
		return 3
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 {
		t.Fatalf("EDGECLUSTER_CRASH_CYCLES = %q, want a positive integer", raw)
	}
	return n
}

// committed is what the store holds after a kill.
type committed struct {
	commit   store.Commit
	counters wire.Counters
}

// TestCrashRecovery runs the daemon binary on the looping demo clip and
// kills it with SIGKILL at random moments. After each kill it checks that
// the state file opens and that no count went backwards. It also checks
// that clusters and counters come from the same commit, and that at most
// one commit window of frames was lost.
func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the daemon binary")
	}
	dir := t.TempDir()
	binary := buildDaemon(t, dir)
	config := writeCrashConfig(t, dir)

	seed := uint64(time.Now().UnixNano())
	if raw := os.Getenv("EDGECLUSTER_CRASH_SEED"); raw != "" {
		var err error
		if seed, err = strconv.ParseUint(raw, 10, 64); err != nil {
			t.Fatalf("EDGECLUSTER_CRASH_SEED = %q, want an unsigned integer", raw)
		}
	}
	t.Logf("kill delays seeded with %d; set EDGECLUSTER_CRASH_SEED to repeat them", seed)
	rng := rand.New(rand.NewPCG(seed, 1))

	var last committed
	for cycle := range crashCycles(t) {
		delay := time.Duration(300+rng.IntN(4700)) * time.Millisecond
		lines := runAndKill(t, binary, config, dir, cycle, delay)
		now := readCommitted(t, filepath.Join(dir, "state.db"))
		checkCycle(t, cycle, delay, last, now, lines)
		last = now
	}
	t.Logf("after %d kills: %d commits, %d frames embedded", crashCycles(t),
		last.commit.Sequence, last.counters.Embedded)
}

func buildDaemon(t *testing.T, dir string) string {
	t.Helper()
	binary := filepath.Join(dir, "edgecluster")
	cmd := exec.Command("go", "build", "-o", binary, "../cmd/edgecluster")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return binary
}

func writeCrashConfig(t *testing.T, dir string) string {
	t.Helper()
	clip, err := filepath.Abs(demoClip)
	if err != nil {
		t.Fatal(err)
	}
	config := fmt.Sprintf(`device_id = "cam-crash"
state = %q
workers = 1

[source]
path = %q
loop = true

[cluster]
k = 8

[summary]
every_frames = %d
interval = "1h"
`, filepath.Join(dir, "state.db"), clip, crashEveryFrames)
	path := filepath.Join(dir, "edgecluster.toml")
	if err := os.WriteFile(path, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// runAndKill starts the daemon, sends SIGKILL after delay, and returns the
// number of assignment lines it wrote, one per frame it observed after
// seeding.
func runAndKill(t *testing.T, binary, config, dir string, cycle int,
	delay time.Duration) int {
	t.Helper()
	assignments := filepath.Join(dir, fmt.Sprintf("assignments-%d.csv", cycle))
	cmd := exec.Command(binary, "run", "--config", config, "--assignments", assignments,
		"--log-level", "error")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}

	time.Sleep(delay)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("cycle %d: kill: %v", cycle, err)
	}
	if err := cmd.Wait(); err == nil {
		t.Fatalf("cycle %d: daemon exited before the kill; stderr:\n%s", cycle, stderr.String())
	}

	data, err := os.ReadFile(assignments)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return strings.Count(string(data), "\n")
}

func readCommitted(t *testing.T, path string) committed {
	t.Helper()
	quiet := slog.New(slog.DiscardHandler)
	s, err := store.Open(path, store.Options{Timeout: 5 * time.Second, Logger: quiet})
	if err != nil {
		t.Fatalf("state file does not open after SIGKILL: %v", err)
	}
	defer s.Close()

	spaces, err := s.Spaces()
	if err != nil || len(spaces) > 1 {
		t.Fatalf("Spaces = %v, %v, want at most one", spaces, err)
	}
	if len(spaces) == 0 {
		return committed{}
	}

	var c committed
	if _, _, err := s.LoadClusters(spaces[0]); err != nil {
		t.Fatalf("stored clusters do not load: %v", err)
	}
	c.commit, _, err = s.LastCommit(spaces[0])
	if err != nil {
		t.Fatal(err)
	}
	data, err := s.Meta(countersKey(spaces[0]))
	if err != nil {
		t.Fatal(err)
	}
	if data != nil {
		if err := json.Unmarshal(data, &c.counters); err != nil {
			t.Fatalf("stored counters: %v", err)
		}
	}
	return c
}

func checkCycle(t *testing.T, cycle int, delay time.Duration, before, after committed,
	lines int) {
	t.Helper()
	where := fmt.Sprintf("cycle %d (killed after %v)", cycle, delay)
	if after.commit.Sequence < before.commit.Sequence {
		t.Errorf("%s: commit sequence went back from %d to %d", where,
			before.commit.Sequence, after.commit.Sequence)
	}
	if after.counters.Embedded < before.counters.Embedded {
		t.Errorf("%s: embedded count went back from %d to %d", where,
			before.counters.Embedded, after.counters.Embedded)
	}
	if after.commit.Observed != after.counters.Embedded {
		t.Errorf("%s: clusters observed %d frames but counters say %d embedded", where,
			after.commit.Observed, after.counters.Embedded)
	}

	// Every assignment line is a frame observed in this run, so the commit
	// may trail the frames observed by at most one window.
	lost := int(before.counters.Embedded) + lines - int(after.counters.Embedded)
	if lost > crashEveryFrames {
		t.Errorf("%s: %d observed frames lost, want at most %d (every_frames)", where, lost,
			crashEveryFrames)
	}
}
