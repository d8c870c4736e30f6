package fileutil

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestReadRegular(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.jpg")
	if err := os.WriteFile(small, []byte("12345"), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.jpg")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "zero.jpg")
	if err := os.Symlink("/dev/zero", link); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name  string
		path  string
		limit int64
		want  error
	}{
		{"regular file", small, 5, nil},
		{"over limit", small, 4, ErrTooLarge},
		{"directory", dir, 100, ErrNotRegular},
		{"fifo", fifo, 100, ErrNotRegular},
		{"link to device", link, 100, ErrNotRegular},
		{"missing", filepath.Join(dir, "nope"), 100, os.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := ReadRegular(tt.path, tt.limit)
			if tt.want == nil {
				if err != nil || string(data) != "12345" {
					t.Fatalf("got %q, %v; want the file's bytes", data, err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("err %v, want %v", err, tt.want)
			}
		})
	}
}
