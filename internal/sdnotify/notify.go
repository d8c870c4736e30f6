package sdnotify

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// State lines understood by systemd. Status messages are built with Status.
const (
	Ready    = "READY=1"
	Stopping = "STOPPING=1"
	Watchdog = "WATCHDOG=1"
)

// ErrBadSocket marks a NOTIFY_SOCKET value that is not a usable socket name.
var ErrBadSocket = errors.New("sdnotify: unsupported NOTIFY_SOCKET")

// Status returns the state line that sets the one-line status shown by
// "systemctl status". Newlines in text are replaced by spaces.
func Status(text string) string {
	return "STATUS=" + strings.ReplaceAll(text, "\n", " ")
}

// Notify sends the state lines to the socket named by NOTIFY_SOCKET. It
// returns false with a nil error when the variable is unset.
func Notify(lines ...string) (bool, error) {
	return NotifySocket(os.Getenv("NOTIFY_SOCKET"), lines...)
}

// NotifySocket sends the state lines as one datagram to socket, a file
// system path or an abstract name starting with "@". It returns false with
// a nil error when socket is empty.
func NotifySocket(socket string, lines ...string) (bool, error) {
	if socket == "" {
		return false, nil
	}
	if socket[0] != '/' && socket[0] != '@' {
		// systemd also accepts vsock addresses, which a board never uses.
		return false, fmt.Errorf("%w %q: want a path or an @abstract name", ErrBadSocket, socket)
	}

	addr := &net.UnixAddr{Name: socket, Net: "unixgram"}
	if socket[0] == '@' {
		addr.Name = "\x00" + socket[1:]
	}
	conn, err := net.DialUnix("unixgram", nil, addr)
	if err != nil {
		return false, fmt.Errorf("sdnotify: connect %s: %w", socket, err)
	}
	defer conn.Close()

	if _, err := conn.Write([]byte(strings.Join(lines, "\n"))); err != nil {
		return false, fmt.Errorf("sdnotify: send to %s: %w", socket, err)
	}
	return true, nil
}

// WatchdogInterval returns the watchdog timeout that systemd set for this
// process, or 0 when none is set or it was meant for another process.
// A service should send Watchdog at about half this interval.
func WatchdogInterval() (time.Duration, error) {
	return watchdogInterval(os.Getenv("WATCHDOG_USEC"), os.Getenv("WATCHDOG_PID"), os.Getpid())
}

func watchdogInterval(usec, pid string, self int) (time.Duration, error) {
	if usec == "" {
		return 0, nil
	}
	if pid != "" && pid != strconv.Itoa(self) {
		return 0, nil
	}
	n, err := strconv.ParseInt(usec, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("sdnotify: WATCHDOG_USEC %q is not a positive integer", usec)
	}
	return time.Duration(n) * time.Microsecond, nil
}
