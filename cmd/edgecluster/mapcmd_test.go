package main

import (
	"context"
	"encoding/csv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/edge/cluster"
	"github.com/edgecluster/edgecluster/edge/store"
)

// writeClusterState stores a model with 4 clusters of 3-D vectors and
// returns the state file's path.
func writeClusterState(t *testing.T) string {
	t.Helper()
	m, err := cluster.New(cluster.Config{K: 4}, 3)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	now := time.Unix(1_700_000_000, 0)
	for i := range 400 {
		v := []float32{float32(i % 4 * 10), float32(rng.NormFloat64()), float32(i % 2)}
		if _, err := m.Observe(v, now, uint64(i)); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "state.db")
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.SaveClusters("space", m.Snapshot()); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestMapCommandOutputs(t *testing.T) {
	state := writeClusterState(t)
	dir := t.TempDir()
	for _, method := range []string{"pca", "tsne"} {
		csvPath := filepath.Join(dir, method+".csv")
		svgPath := filepath.Join(dir, method+".svg")
		for _, out := range []string{csvPath, svgPath} {
			err := runMap(context.Background(),
				[]string{"--state", state, "--method", method, "--out", out})
			if err != nil {
				t.Fatalf("%s to %s: %v", method, out, err)
			}
		}

		rows := readCSV(t, csvPath)
		if len(rows) != 5 || strings.Join(rows[0], ",") != "cluster,count,x,y" {
			t.Errorf("%s CSV = %v, want a header and 4 clusters", method, rows)
		}
		svg, err := os.ReadFile(svgPath)
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(svg), "<circle"); n != 4 {
			t.Errorf("%s SVG has %d circles, want 4", method, n)
		}
	}
}

func TestMapCommandErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no state", []string{"--method", "pca"}, "--state is required"},
		{"bad method", []string{"--state", "x.db", "--method", "umap"}, `--method "umap"`},
		{"missing file", []string{"--state", "/nonexistent/s.db"}, "--state"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := runMap(context.Background(), tt.args)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
