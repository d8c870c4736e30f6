package reduce

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// Peer is scikit-learn run by scripts/reduce_sklearn.py with Debian's
// python3 and python3-sklearn, which .ci/run installs.
const (
	peerPython = "/usr/bin/python3"
	peerScript = "../../scripts/reduce_sklearn.py"
)

// peerResult is the JSON that scripts/reduce_sklearn.py prints.
type peerResult struct {
	SklearnVersion    string      `json:"sklearn_version"`
	Seconds           float64     `json:"seconds"`
	Embedding         [][]float64 `json:"embedding"`
	ExplainedVariance []float64   `json:"explained_variance"`
	KLDivergence      float64     `json:"kl_divergence"`
}

// runPeer runs scikit-learn's PCA or TSNE ("pca", "tsne") on x with the
// extra flags and returns its output.
func runPeer(t testing.TB, x [][]float64, method string, flags ...string) peerResult {
	t.Helper()
	path := filepath.Join(t.TempDir(), "points.f64")
	if err := os.WriteFile(path, float64Bytes(x), 0o644); err != nil {
		t.Fatal(err)
	}
	args := append([]string{peerScript, "--points", path,
		"--dims", strconv.Itoa(len(x[0])), "--method", method}, flags...)
	cmd := exec.CommandContext(context.Background(), peerPython, args...)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s failed: %v; install python3-sklearn", peerPython, peerScript, err)
	}
	var out peerResult
	if err := json.Unmarshal(stdout, &out); err != nil {
		t.Fatalf("output of %s: %v", peerScript, err)
	}
	if len(out.Embedding) != len(x) {
		t.Fatalf("peer returned %d rows for %d points", len(out.Embedding), len(x))
	}
	return out
}

func float64Bytes(x [][]float64) []byte {
	var buf []byte
	for _, row := range x {
		for _, v := range row {
			buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v))
		}
	}
	return buf
}
