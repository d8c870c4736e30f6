package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/edgecluster/edgecluster/daemon"
	"github.com/edgecluster/edgecluster/edge/store"
	"github.com/edgecluster/edgecluster/internal/mqtttest"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// stopLimit is the longest a SIGTERM may take to end the daemon.
const stopLimit = 5 * time.Second

// binDir holds the binary built by buildBinary. TestMain removes it.
var binDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// buildBinary compiles the command once per test binary run.
var buildBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "edgecluster-bin")
	if err != nil {
		return "", err
	}
	binDir = dir
	bin := filepath.Join(dir, "edgecluster")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

func binary(t *testing.T) string {
	t.Helper()
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// statusWatcher records the retained status payloads of one device.
type statusWatcher struct {
	mu  sync.Mutex
	got []wire.Status
}

func watchStatus(t *testing.T, url, topic string) *statusWatcher {
	t.Helper()
	w := &statusWatcher{}
	c := mqtt.NewClient(mqtt.NewClientOptions().AddBroker(url).SetClientID("watch-" + t.Name()))
	if tok := c.Connect(); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("watcher connect: %v", tok.Error())
	}
	t.Cleanup(func() { c.Disconnect(100) })
	tok := c.Subscribe(topic, 1, func(_ mqtt.Client, m mqtt.Message) {
		st, err := wire.DecodeStatus(m.Payload())
		if err != nil {
			t.Errorf("status payload: %v", err)
			return
		}
		w.mu.Lock()
		w.got = append(w.got, st)
		w.mu.Unlock()
	})
	if !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("subscribe: %v", tok.Error())
	}
	return w
}

func (w *statusWatcher) last() (wire.Status, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.got) == 0 {
		return wire.Status{}, false
	}
	return w.got[len(w.got)-1], true
}

// notifications collects the datagrams the daemon sends to NOTIFY_SOCKET.
type notifications struct {
	mu    sync.Mutex
	lines []string
}

func listenNotify(t *testing.T) (string, *notifications) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "notify.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	n := &notifications{}
	go func() {
		buf := make([]byte, 4096)
		for {
			k, err := conn.Read(buf)
			if err != nil {
				return
			}
			n.mu.Lock()
			n.lines = append(n.lines, strings.Split(string(buf[:k]), "\n")...)
			n.mu.Unlock()
		}
	}()
	return path, n
}

func (n *notifications) has(line string) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, l := range n.lines {
		if l == line {
			return true
		}
	}
	return false
}

func waitFor(t *testing.T, what string, limit time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", limit, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func getStatus(addr string) (daemon.Snapshot, error) {
	return fetchStatus(context.Background(), addr)
}

func writeServiceConfig(t *testing.T, broker, httpAddr, state string) string {
	t.Helper()
	clip, err := filepath.Abs("../../demo/scenes.mjpeg")
	if err != nil {
		t.Fatal(err)
	}
	text := fmt.Sprintf(`device_id = "sigterm-1"
state = %q
workers = 2
[source]
path = %q
fps = 20.0
loop = true
[mqtt]
broker = %q
[summary]
every_frames = 4
[http]
listen = %q
`, state, clip, broker, httpAddr)
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSIGTERMStopsWithinLimit runs the built binary as systemd would, lets
// it embed frames and publish, sends SIGTERM and checks that it exits in
// time with its state committed and its offline status published.
func TestSIGTERMStopsWithinLimit(t *testing.T) {
	broker := mqtttest.Start(t)
	port, err := mqtttest.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	httpAddr := fmt.Sprintf("127.0.0.1:%d", port)
	state := filepath.Join(t.TempDir(), "state.db")
	config := writeServiceConfig(t, broker.URL, httpAddr, state)
	statuses := watchStatus(t, broker.URL, wire.Topic(wire.DefaultPrefix, "sigterm-1",
		wire.KindStatus))
	socket, notes := listenNotify(t)

	cmd := exec.Command(binary(t), "run", "--config", config)
	cmd.Env = append(os.Environ(), "NOTIFY_SOCKET="+socket, "WATCHDOG_USEC=400000")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	logs := collectLines(stderr)
	defer cmd.Process.Kill()

	waitFor(t, "READY=1", 60*time.Second, func() bool { return notes.has("READY=1") })
	var before daemon.Snapshot
	waitFor(t, "8 embedded frames and a summary", 60*time.Second, func() bool {
		before, err = getStatus(httpAddr)
		return err == nil && before.Embedded >= 8 && before.Summaries > 0
	})
	waitFor(t, "a watchdog ping", 5*time.Second, func() bool { return notes.has("WATCHDOG=1") })
	checkStatusCommand(t, httpAddr)

	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	took := time.Since(start)
	t.Logf("exit after SIGTERM took %v", took.Round(time.Millisecond))
	if err != nil {
		t.Errorf("exit: %v\n%s", err, logs())
	}
	if took > stopLimit {
		t.Errorf("exit took %v, limit %v", took, stopLimit)
	}
	if !notes.has("STOPPING=1") {
		t.Error("no STOPPING=1 notification")
	}

	checkOfflineStatus(t, statuses, start)
	checkCommitted(t, state, before)
}

// checkOfflineStatus waits for the offline status sent at the stop. The
// last will also has state offline, but carries the start time instead.
// checkStatusCommand runs "edgecluster status" against the running daemon.
func checkStatusCommand(t *testing.T, addr string) {
	t.Helper()
	out, err := exec.Command(binary(t), "status", "--addr", addr).CombinedOutput()
	if err != nil {
		t.Fatalf("edgecluster status: %v\n%s", err, out)
	}
	for _, w := range []string{"device:    sigterm-1", "state:     running, healthy",
		"mqtt:      " + "tcp://"} {
		if !strings.Contains(string(out), w) {
			t.Errorf("status output lacks %q:\n%s", w, out)
		}
	}
}

func checkOfflineStatus(t *testing.T, w *statusWatcher, stopped time.Time) {
	t.Helper()
	waitFor(t, "the offline status", 5*time.Second, func() bool {
		st, ok := w.last()
		return ok && st.State == "offline" && !st.Time.Before(stopped.Add(-time.Second))
	})
}

// checkCommitted opens the state file after the stop and checks that the
// counters cover at least the frames embedded before SIGTERM.
func checkCommitted(t *testing.T, path string, before daemon.Snapshot) {
	t.Helper()
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	data, err := st.Meta("counters/" + before.Space)
	if err != nil || data == nil {
		t.Fatalf("no committed counters for %s: %v", before.Space, err)
	}
	var c wire.Counters
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	if c.Embedded < before.Embedded {
		t.Errorf("committed %d embedded frames, %d were embedded before SIGTERM",
			c.Embedded, before.Embedded)
	}
	if _, ok, err := st.LoadClusters(before.Space); !ok || err != nil {
		t.Errorf("clusters of %s not committed: %v", before.Space, err)
	}
}

// collectLines keeps what r produces and returns a function giving it.
func collectLines(r io.Reader) func() string {
	var mu sync.Mutex
	var b strings.Builder
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			mu.Lock()
			b.WriteString(sc.Text() + "\n")
			mu.Unlock()
		}
	}()
	return func() string {
		mu.Lock()
		defer mu.Unlock()
		return b.String()
	}
}
