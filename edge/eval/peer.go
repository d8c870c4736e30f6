package eval

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
)

// peerOutput is the JSON that scripts/eval_sklearn.py prints.
type peerOutput struct {
	SklearnVersion string `json:"sklearn_version"`
	Methods        []struct {
		Name    string  `json:"name"`
		Labels  []int   `json:"labels"`
		Seconds float64 `json:"seconds"`
	} `json:"methods"`
}

// runPeers runs scikit-learn's MiniBatchKMeans and KMeans on the same
// vectors through the script at script with the Python interpreter python.
// It returns their labellings and the scikit-learn version.
func runPeers(ctx context.Context, python, script string, ds Dataset, seed int64,
	nInit int) ([]labelling, string, error) {
	dir, err := os.MkdirTemp("", "edgecluster-eval-")
	if err != nil {
		return nil, "", err
	}
	defer os.RemoveAll(dir)

	points := filepath.Join(dir, "points.f32")
	if err := writeFloat32Rows(points, ds.Points); err != nil {
		return nil, "", err
	}
	cmd := exec.CommandContext(ctx, python, script,
		"--points", points, "--dims", strconv.Itoa(len(ds.Points[0])),
		"--k", strconv.Itoa(ds.K), "--seed", strconv.FormatInt(seed, 10),
		"--n-init", strconv.Itoa(nInit))
	cmd.Stderr = os.Stderr
	stdout, err := cmd.Output()
	if err != nil {
		return nil, "", fmt.Errorf("eval: %s %s failed: %w", python, script, err)
	}
	return parsePeerOutput(stdout, script, len(ds.Points))
}

func parsePeerOutput(stdout []byte, script string, points int) ([]labelling, string, error) {
	var out peerOutput
	if err := json.Unmarshal(stdout, &out); err != nil {
		return nil, "", fmt.Errorf("%w: output of %s: %v", ErrFormat, script, err)
	}
	var result []labelling
	for _, m := range out.Methods {
		if len(m.Labels) != points {
			return nil, "", fmt.Errorf("%w: %s returned %d labels for %d points",
				ErrFormat, m.Name, len(m.Labels), points)
		}
		result = append(result, labelling{method: m.Name, labels: m.Labels, seconds: m.Seconds})
	}
	return result, out.SklearnVersion, nil
}
