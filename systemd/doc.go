// Package systemd holds the systemd unit that runs the device daemon as a
// hardened service. The .deb installs the file as it is, and
// "edgecluster service install" writes it with ExecStart pointing at the
// running binary.
package systemd
