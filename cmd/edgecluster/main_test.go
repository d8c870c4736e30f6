package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// capture runs dispatch with args and returns its exit code and stdout.
func capture(t *testing.T, args ...string) (int, string) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = w
	done := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		done <- string(b)
	}()
	code := dispatch(context.Background(), args)
	os.Stdout = stdout
	w.Close()
	return code, <-done
}

func TestEmbedPrintsJSONLines(t *testing.T) {
	images, err := filepath.Glob("../../edge/tflite/testdata/reference/*.png")
	if err != nil || len(images) < 2 {
		t.Fatalf("reference images missing: %v", err)
	}
	code, out := capture(t, append([]string{"embed"}, images[:2]...)...)
	if code != 0 {
		t.Fatalf("exit code %d", code)
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	lines := 0
	for sc.Scan() {
		var line embedLine
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("line %d: %v", lines, err)
		}
		if line.File != images[lines] || line.Dims != 1280 || len(line.Embedding) != 1280 {
			t.Errorf("line %d: file %q, dims %d, %d values", lines, line.File, line.Dims,
				len(line.Embedding))
		}
		lines++
	}
	if lines != 2 {
		t.Errorf("%d lines, want 2", lines)
	}
}

func TestDispatchExitCodes(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"no command", nil, 2},
		{"top-level help", []string{"--help"}, 0},
		{"version flag", []string{"--version"}, 0},
		{"version help", []string{"version", "--help"}, 0},
		{"unknown command", []string{"fly"}, 2},
		{"help", []string{"run", "--help"}, 0},
		{"bad flag", []string{"run", "--nope"}, 1},
		{"missing source", []string{"run", "--state", "/nonexistent/dir/s.db"}, 1},
		{"embed without images", []string{"embed"}, 1},
		{"embed unreadable image", []string{"embed", "/nonexistent.jpg"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code, _ := capture(t, tt.args...); code != tt.want {
				t.Errorf("exit code %d, want %d", code, tt.want)
			}
		})
	}
}
