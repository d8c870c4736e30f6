package delivery

import (
	"bytes"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/edge/store"
	"github.com/edgecluster/edgecluster/internal/mqtttest"
	"github.com/edgecluster/edgecluster/sensors/mjpeg"
	"github.com/edgecluster/edgecluster/sync/hub"
	"github.com/edgecluster/edgecluster/sync/uplink"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// TestDaemonKilledDuringDrain builds the edgecluster binary, lets it drain
// a backlog of summaries left in its state file by an earlier offline run,
// SIGKILLs it part way and starts it again. The hub must end with every
// summary exactly once.
func TestDaemonKilledDuringDrain(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped in -short mode")
	}
	bin := buildBinary(t)
	const n = 800
	state := filepath.Join(t.TempDir(), "device.db")
	fillBacklog(t, state, "cam-kill", n)
	clip := oneFrameClip(t)

	broker := mqtttest.Start(t)
	h := startHub(t, broker.URL, hub.Options{})
	args := []string{"run", "--once", "--source", clip, "--broker", broker.URL,
		"--state", state, "--device-id", "cam-kill", "--workers", "1", "--log-level", "warn"}

	first := exec.Command(bin, args...)
	first.Stderr = &bytes.Buffer{}
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	stored := waitForSome(t, h, "cam-kill", 10, 60*time.Second)
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	afterKill := len(allSeqs(t, []*hub.Hub{h}, "cam-kill"))
	t.Logf("killed with %d (then %d) of %d summaries at the hub", stored, afterKill, n)
	if afterKill >= n {
		t.Fatalf("the drain finished before the kill; raise the backlog above %d", n)
	}

	second := exec.Command(bin, args...)
	if out, err := second.CombinedOutput(); err != nil {
		t.Fatalf("second run: %v\n%s", err, out)
	}
	waitAll(t, []*hub.Hub{h}, "cam-kill", n, 30*time.Second)
	t.Logf("hub: %+v", deviceInfo(t, h, "cam-kill").Summaries)
}

// buildBinary builds cmd/edgecluster into the test's temporary folder.
func buildBinary(t *testing.T) string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		gobin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(t.TempDir(), "edgecluster")
	cmd := exec.Command(gobin, "build", "-o", bin, "github.com/edgecluster/edgecluster/cmd/edgecluster")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// fillBacklog leaves n summaries in the outbox of a device state file, as
// a device that ran without a broker would.
func fillBacklog(t *testing.T, path, id string, n int) {
	t.Helper()
	st, err := store.Open(path, store.Options{Logger: quietLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	up, err := uplink.New(uplink.Options{Broker: "tcp://127.0.0.1:1", ClientID: "backlog",
		StatusTopic: wire.Topic(prefix, id, wire.KindStatus), DB: st.DB(),
		Logger: quietLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < n; i++ {
		seq, err := st.NextSequence("summary")
		if err != nil {
			t.Fatal(err)
		}
		m := uplink.Message{Topic: wire.Topic(prefix, id, wire.KindSummary), Seq: seq,
			Payload: summaryPayload(id, seq, benchK, benchDims, rng)}
		if err := up.Enqueue(m); err != nil {
			t.Fatal(err)
		}
	}
	if err := up.Close(nil); err != nil {
		t.Fatal(err)
	}
}

// oneFrameClip writes the first frame of the bundled demo clip to a file.
func oneFrameClip(t *testing.T) string {
	t.Helper()
	f, err := os.Open("../../demo/scenes.mjpeg")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	frame, err := mjpeg.NewReader(f, mjpeg.Options{}).Next()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "one.mjpeg")
	if err := os.WriteFile(path, frame, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// waitForSome polls the hub until it stores at least min summaries.
func waitForSome(t *testing.T, h *hub.Hub, id string, min int, limit time.Duration) int {
	t.Helper()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if n := len(allSeqs(t, []*hub.Hub{h}, id)); n >= min {
			return n
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("hub stored fewer than %d summaries within %v", min, limit)
	return 0
}
