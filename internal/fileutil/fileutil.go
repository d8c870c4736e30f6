// Package fileutil reads input files with a size limit and rejects anything
// that is not a regular file, so that a FIFO, a device or an endless file
// named as input cannot block a reader or exhaust its memory.
package fileutil

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
)

// ErrNotRegular marks a path that is a directory, FIFO, socket or device.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge marks a file longer than the caller's limit.
var ErrTooLarge = errors.New("file exceeds size limit")

// ReadRegular returns the contents of the regular file at path, following
// symbolic links. It fails with ErrNotRegular for any other kind of file and
// with ErrTooLarge when the file holds more than limit bytes, also when the
// file grows while it is read.
func ReadRegular(path string, limit int64) ([]byte, error) {
	// O_NONBLOCK keeps the open from waiting for a writer when path is a
	// FIFO. It has no effect on regular files.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w (%s)", path, ErrNotRegular, st.Mode().Type())
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("%s: %w: %d bytes, limit %d", path, ErrTooLarge, st.Size(), limit)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: %w: more than %d bytes", path, ErrTooLarge, limit)
	}
	return data, nil
}
