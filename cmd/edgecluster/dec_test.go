package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeBlobVectors writes n JSON vector lines around three centers, named
// by their center, and returns the path.
func writeBlobVectors(t *testing.T, n int) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(3, 3))
	var b strings.Builder
	enc := json.NewEncoder(&b)
	for i := range n {
		c := i % 3
		vec := make([]float32, 6)
		for d := range vec {
			vec[d] = float32(0.05 * rng.NormFloat64())
		}
		vec[2*c], vec[2*c+1] = 1+vec[2*c], 1+vec[2*c+1]
		_ = enc.Encode(embedLine{File: fmt.Sprintf("c%d-%d.jpg", c, i), Dims: 6, Embedding: vec})
	}
	path := filepath.Join(t.TempDir(), "vectors.jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDecTrainAndCluster(t *testing.T) {
	vectors := writeBlobVectors(t, 150)
	encoder := filepath.Join(t.TempDir(), "encoder.bin")
	err := runDec(context.Background(), []string{"train", "--in", vectors, "--out", encoder,
		"--hidden", "8,2", "--epochs", "60", "--batch", "16"})
	if err != nil {
		t.Fatal(err)
	}

	code, out := capture(t, "dec", "cluster", "--in", vectors, "--encoder", encoder, "--k", "3")
	if code != 0 {
		t.Fatalf("dec cluster: exit code %d", code)
	}
	clusterOf := map[string]map[int]bool{}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for _, line := range lines {
		var l clusterLine
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("output line %q: %v", line, err)
		}
		center := l.File[:2]
		if clusterOf[center] == nil {
			clusterOf[center] = map[int]bool{}
		}
		clusterOf[center][l.Cluster] = true
	}
	if len(lines) != 150 {
		t.Errorf("got %d output lines, want 150", len(lines))
	}
	for center, clusters := range clusterOf {
		if len(clusters) != 1 {
			t.Errorf("vectors of %s fell into clusters %v, want one", center, clusters)
		}
	}
}

func TestDecErrors(t *testing.T) {
	vectors := writeBlobVectors(t, 30)
	empty := filepath.Join(t.TempDir(), "empty.jsonl")
	if err := os.WriteFile(empty, []byte("{\"file\": \"a\"}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no subcommand", nil, "no subcommand given: use one of train, cluster"},
		{"unknown subcommand", []string{"fit"}, `unknown dec subcommand "fit"`},
		{"missing out", []string{"train", "--in", vectors}, "--in and --out are required"},
		{"bad hidden", []string{"train", "--in", vectors, "--out", "x", "--hidden", "8,0"},
			`--hidden "8,0"`},
		{"no embedding", []string{"train", "--in", empty, "--out", "x"},
			`vector 1 has no "embedding" array`},
		{"missing k", []string{"cluster", "--in", vectors, "--encoder", "x"},
			"--k are required"},
		{"missing encoder file", []string{"cluster", "--in", vectors, "--encoder",
			filepath.Join(t.TempDir(), "none.bin"), "--k", "3"}, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := runDec(context.Background(), tt.args)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// writeLines writes text to a file in a temporary folder and returns its path.
func writeLines(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "vectors.jsonl")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDecRejectsWhatCannotTrain(t *testing.T) {
	var huge strings.Builder
	for i := range 40 {
		fmt.Fprintf(&huge, "{\"embedding\": [1e308, -1e308, %d]}\n", i)
	}
	overflow := writeLines(t, huge.String())
	vectors := writeBlobVectors(t, 50)
	encoder := filepath.Join(t.TempDir(), "encoder.bin")
	err := runDec(context.Background(), []string{"train", "--in", vectors, "--out", encoder,
		"--hidden", "4,2", "--epochs", "1"})
	if err != nil {
		t.Fatal(err)
	}
	diverged := filepath.Join(t.TempDir(), "diverged.bin")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"overflow", []string{"train", "--in", overflow, "--out", diverged, "--hidden", "4,2"},
			"training diverged: training loss is"},
		{"hidden too large", []string{"train", "--in", vectors, "--out", diverged,
			"--hidden", "100000,100000"}, "autoencoder too large: layer widths [6 100000 100000]"},
		{"k above samples", []string{"cluster", "--in", vectors, "--encoder", encoder,
			"--k", "1000"}, "k 1000 is more than the 50 samples; use k between 1 and 50"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := runDec(context.Background(), tt.args)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
	if _, err := os.Stat(diverged); !os.IsNotExist(err) {
		t.Errorf("an encoder was written after a failed training: %v", err)
	}
}

func TestUsedClusters(t *testing.T) {
	tests := []struct {
		labels []int
		want   int
	}{
		{nil, 0},
		{[]int{3, 3, 3}, 1},
		{[]int{0, 2, 1, 2}, 3},
	}
	for _, tt := range tests {
		if got := usedClusters(tt.labels); got != tt.want {
			t.Errorf("usedClusters(%v) = %d, want %d", tt.labels, got, tt.want)
		}
	}
}
