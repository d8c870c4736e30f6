// Package sdnotify implements the service side of the systemd notification
// protocol (sd_notify(3)) without cgo: it sends state lines such as
// "READY=1" as one datagram to the unix socket named by NOTIFY_SOCKET, and
// reads the watchdog interval from WATCHDOG_USEC.
//
// Outside systemd, where NOTIFY_SOCKET is unset, every call does nothing
// and reports that nothing was sent, so callers need no special case.
package sdnotify
