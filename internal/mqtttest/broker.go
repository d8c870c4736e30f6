// Package mqtttest starts a private mosquitto broker on a free loopback port
// for tests. The Debian package mosquitto provides the binary.
package mqtttest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// Broker is a running mosquitto process owned by one test.
type Broker struct {
	// URL is the broker address for MQTT clients, tcp://127.0.0.1:PORT.
	URL string

	// Port is the loopback TCP port.
	Port int

	t    testing.TB
	conf string
	cmd  *exec.Cmd
}

// Binary returns the path of mosquitto, or an error telling how to install it.
func Binary() (string, error) {
	for _, p := range []string{"mosquitto", "/usr/sbin/mosquitto"} {
		if path, err := exec.LookPath(p); err == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("mosquitto not found: install it with 'apt-get install -y mosquitto'")
}

// Options configures a test broker. The zero value keeps no state across
// restarts.
type Options struct {
	// Persistence keeps sessions and queued messages in the test's temporary
	// folder, so they survive Stop and Restart.
	Persistence bool
}

// Start runs a broker that allows anonymous clients on 127.0.0.1 and stops
// it when the test ends.
func Start(t testing.TB) *Broker { return StartWith(t, Options{}) }

// StartWith is Start with options.
func StartWith(t testing.TB, opts Options) *Broker {
	t.Helper()
	port, err := FreePort()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "mosquitto.conf")
	text := fmt.Sprintf("listener %d 127.0.0.1\nallow_anonymous true\n", port)
	if os.Geteuid() == 0 {
		// Started as root, mosquitto switches to the mosquitto user, which
		// cannot write the test's temporary folder, so it keeps root here.
		text += "user root\n"
	}
	if opts.Persistence {
		text += fmt.Sprintf("persistence true\npersistence_location %s/\n", dir)
	} else {
		text += "persistence false\n"
	}
	if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	b := &Broker{URL: fmt.Sprintf("tcp://127.0.0.1:%d", port), Port: port, t: t, conf: conf}
	b.Restart()
	t.Cleanup(b.Stop)
	return b
}

// Restart starts the broker again after Stop, on the same port.
func (b *Broker) Restart() {
	b.t.Helper()
	bin, err := Binary()
	if err != nil {
		b.t.Fatal(err)
	}
	b.cmd = exec.Command(bin, "-c", b.conf)
	if err := b.cmd.Start(); err != nil {
		b.t.Fatalf("start mosquitto: %v", err)
	}
	if err := waitListening(b.Port, 5*time.Second); err != nil {
		b.Stop()
		b.t.Fatal(err)
	}
}

// Stop ends the broker with SIGTERM, so that a persistent broker saves its
// state, and kills it if it has not exited within 5 s. It is safe to call
// twice.
func (b *Broker) Stop() {
	if b.cmd == nil || b.cmd.Process == nil {
		return
	}
	done := make(chan struct{})
	go func() {
		_ = b.cmd.Wait()
		close(done)
	}()
	_ = b.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = b.cmd.Process.Kill()
		<-done
	}
	b.cmd = nil
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func waitListening(port int, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 200*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("mosquitto did not listen on port %d within %v", port, limit)
}
