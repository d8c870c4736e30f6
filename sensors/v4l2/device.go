//go:build linux

package v4l2

import (
	"errors"
	"fmt"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// device is the system-call surface of an open video device. fileDevice
// makes the real calls; tests use an emulated driver.
type device interface {
	ioctl(req uint, arg unsafe.Pointer) error
	mmap(offset int64, length int) ([]byte, error)
	munmap(b []byte) error
	// waitReadable blocks until a buffer can be dequeued or timeout passes.
	waitReadable(timeout time.Duration) error
	close() error
}

// ErrTimeout marks a camera that delivered no frame within the timeout.
var ErrTimeout = errors.New("v4l2: no frame within timeout")

// fileDevice is an open /dev/videoN.
type fileDevice struct{ fd int }

func openFile(path string) (*fileDevice, error) {
	fd, err := unix.Open(path, unix.O_RDWR|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("v4l2: open %s: %w", path, err)
	}
	return &fileDevice{fd: fd}, nil
}

func (d *fileDevice) ioctl(req uint, arg unsafe.Pointer) error {
	for {
		_, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(d.fd), uintptr(req), uintptr(arg))
		switch errno {
		case 0:
			return nil
		case unix.EINTR:
			continue
		}
		return errno
	}
}

func (d *fileDevice) mmap(offset int64, length int) ([]byte, error) {
	return unix.Mmap(d.fd, offset, length, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
}

func (d *fileDevice) munmap(b []byte) error { return unix.Munmap(b) }

func (d *fileDevice) waitReadable(timeout time.Duration) error {
	fds := []unix.PollFd{{Fd: int32(d.fd), Events: unix.POLLIN}}
	for {
		n, err := unix.Poll(fds, int(timeout.Milliseconds()))
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return fmt.Errorf("v4l2: poll: %w", err)
		}
		if n == 0 {
			return ErrTimeout
		}
		if fds[0].Revents&(unix.POLLERR|unix.POLLHUP) != 0 {
			return errors.New("v4l2: device error or unplugged")
		}
		return nil
	}
}

func (d *fileDevice) close() error { return unix.Close(d.fd) }
