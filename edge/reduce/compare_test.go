package reduce

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// compareEnv names the sizes that TestCompareSklearnTable runs, for
// example "1000,5000,10000". scripts/bench/tsne.sh sets it.
const compareEnv = "EDGECLUSTER_TSNE_SIZES"

// TestCompareSklearnTable times t-SNE here and in scikit-learn on the same
// blobs(n, 50) data in the same run and prints a Markdown table with the
// KL divergence (both scored by KLDivergence on this package's P) and the
// trustworthiness with 5 neighbours. It runs only when compareEnv is set.
func TestCompareSklearnTable(t *testing.T) {
	sizes := os.Getenv(compareEnv)
	if sizes == "" {
		t.Skip("set " + compareEnv + " to run; see scripts/bench/tsne.sh")
	}
	var lines []string
	for _, field := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(field))
		if err != nil {
			t.Fatalf("%s: %q is not a size", compareEnv, field)
		}
		lines = append(lines, compareAt(t, n)...)
	}
	fmt.Println("| implementation | n | d | seconds | KL | trustworthiness (k=5) |")
	fmt.Println("|---|---:|---:|---:|---:|---:|")
	for _, l := range lines {
		fmt.Println(l)
	}
}

func compareAt(t *testing.T, n int) []string {
	x := blobs(n, 50, 1)
	ours, seconds := timedTSNE(t, x)
	peer := runPeer(t, x, "tsne", "--seed", "0")

	row := func(name string, y [][]float64, s float64) string {
		return fmt.Sprintf("| %s | %d | 50 | %.1f | %.4f | %.4f |", name, n, s,
			scoreKL(t, x, y), scoreTrust(t, x, y))
	}
	return []string{
		row("edge/reduce TSNE", ours, seconds),
		row("scikit-learn "+peer.SklearnVersion+" TSNE barnes_hut", peer.Embedding, peer.Seconds),
	}
}
