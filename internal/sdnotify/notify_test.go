package sdnotify

import (
	"errors"
	"net"
	"path/filepath"
	"testing"
	"time"
)

// listen opens a datagram socket like the one systemd passes in NOTIFY_SOCKET.
func listen(t *testing.T, name string) *net.UnixConn {
	t.Helper()
	addr := &net.UnixAddr{Name: name, Net: "unixgram"}
	conn, err := net.ListenUnixgram("unixgram", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func receive(t *testing.T, conn *net.UnixConn) string {
	t.Helper()
	buf := make([]byte, 4096)
	if err := conn.SetReadDeadline(time.Now().Add(5 * time.Second)); err != nil {
		t.Fatal(err)
	}
	n, err := conn.Read(buf)
	if err != nil {
		t.Fatalf("read notification: %v", err)
	}
	return string(buf[:n])
}

func TestNotifySocket(t *testing.T) {
	dir := t.TempDir()
	abstract := "@edgecluster-sdnotify-test-" + time.Now().Format("150405.000000000")
	tests := []struct {
		name, socket, listenName string
		lines                    []string
		want                     string
	}{
		{"path ready", dir + "/a", dir + "/a", []string{Ready}, "READY=1"},
		{"path two lines", dir + "/b", dir + "/b", []string{Ready, Status("up\nnow")},
			"READY=1\nSTATUS=up now"},
		{"abstract", abstract, "\x00" + abstract[1:], []string{Watchdog}, "WATCHDOG=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn := listen(t, tt.listenName)
			sent, err := NotifySocket(tt.socket, tt.lines...)
			if err != nil || !sent {
				t.Fatalf("NotifySocket = %v, %v; want true, nil", sent, err)
			}
			if got := receive(t, conn); got != tt.want {
				t.Errorf("datagram %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNotifyWithoutSocket(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "")
	sent, err := Notify(Ready)
	if sent || err != nil {
		t.Errorf("Notify = %v, %v; want false, nil", sent, err)
	}
}

func TestNotifyEnvironment(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notify")
	conn := listen(t, path)
	t.Setenv("NOTIFY_SOCKET", path)
	if _, err := Notify(Stopping); err != nil {
		t.Fatal(err)
	}
	if got := receive(t, conn); got != Stopping {
		t.Errorf("datagram %q, want %q", got, Stopping)
	}
}

func TestNotifySocketErrors(t *testing.T) {
	tests := []struct {
		name, socket string
		wantBad      bool
	}{
		{"relative path", "run/notify", true},
		{"vsock", "vsock:2:1234", true},
		{"missing path", filepath.Join(t.TempDir(), "absent"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sent, err := NotifySocket(tt.socket, Ready)
			if err == nil || sent {
				t.Fatalf("NotifySocket(%q) = %v, %v; want an error", tt.socket, sent, err)
			}
			if got := errors.Is(err, ErrBadSocket); got != tt.wantBad {
				t.Errorf("errors.Is(ErrBadSocket) = %v, want %v (err %v)", got, tt.wantBad, err)
			}
		})
	}
}

func TestWatchdogInterval(t *testing.T) {
	tests := []struct {
		name, usec, pid string
		want            time.Duration
		wantErr         bool
	}{
		{"unset", "", "", 0, false},
		{"no pid", "20000000", "", 20 * time.Second, false},
		{"own pid", "500000", "42", 500 * time.Millisecond, false},
		{"other pid", "500000", "43", 0, false},
		{"not a number", "20s", "", 0, true},
		{"zero", "0", "", 0, true},
		{"negative", "-5", "", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := watchdogInterval(tt.usec, tt.pid, 42)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("interval = %v, want %v", got, tt.want)
			}
		})
	}
}
