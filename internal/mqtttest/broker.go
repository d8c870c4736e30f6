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

// Options configures a test broker. The zero value is an anonymous broker
// that keeps no state across restarts.
type Options struct {
	// Persistence keeps sessions, subscriptions and queued messages in a
	// file in the test's temporary folder across Stop and Restart.
	Persistence bool

	// Listener replaces the "allow_anonymous true" lines that follow the
	// listener line, such as TLS or password file settings.
	Listener string

	// Extra is appended to the configuration file as it is.
	Extra string
}

// Start runs a broker that allows anonymous clients on 127.0.0.1 and stops
// it when the test ends.
func Start(t testing.TB) *Broker {
	t.Helper()
	return StartWith(t, Options{})
}

// StartWith runs a broker configured by cfg and stops it when the test
// ends.
func StartWith(t testing.TB, cfg Options) *Broker {
	t.Helper()
	port, err := FreePort()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "mosquitto.conf")
	if err := os.WriteFile(conf, []byte(configText(port, dir, cfg)), 0o644); err != nil {
		t.Fatal(err)
	}
	b := &Broker{URL: fmt.Sprintf("tcp://127.0.0.1:%d", port), Port: port, t: t, conf: conf}
	b.Restart()
	t.Cleanup(b.Stop)
	return b
}

func configText(port int, dir string, cfg Options) string {
	listener := cfg.Listener
	if listener == "" {
		listener = "allow_anonymous true\n"
	}
	text := fmt.Sprintf("per_listener_settings true\nlistener %d 127.0.0.1\n%s", port, listener)
	if os.Geteuid() == 0 {
		// Started as root, mosquitto switches to the user "mosquitto", which
		// cannot read or write the test's private temporary folder.
		text += "user root\n"
	}
	if cfg.Persistence {
		text += fmt.Sprintf("persistence true\npersistence_location %s/\nautosave_interval 1\n", dir)
	} else {
		text += "persistence false\n"
	}
	return text + cfg.Extra + "\n"
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
	_ = b.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		_ = b.cmd.Wait()
		close(done)
	}()
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
