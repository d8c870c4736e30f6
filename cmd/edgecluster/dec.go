package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/edgecluster/edgecluster/edge/dec"
)

// decCommands are the subcommands of "edgecluster dec".
var decCommands = []command{
	{"train", "train an autoencoder on vectors and write its encoder", runDecTrain},
	{"cluster", "cluster vectors with DEC on a trained encoder", runDecCluster},
}

// runDec trains an autoencoder on vectors or clusters vectors with DEC.
func runDec(ctx context.Context, args []string) error {
	return runSubcommand(ctx, "dec", "", decCommands, args)
}

func runDecTrain(_ context.Context, args []string) error {
	fs := newFlagSet("dec train", "")
	in := fs.String("in", "", "JSON lines with an \"embedding\" array each, "+
		"as edgecluster embed prints (required)")
	out := fs.String("out", "", "encoder `file` to write (required)")
	hidden := fs.String("hidden", "256,128,10", "comma-separated encoder widths after "+
		"the input, code width last")
	epochs := fs.Int("epochs", dec.DefaultEpochs, "maximum training epochs")
	batch := fs.Int("batch", 64, "samples per Adam step")
	corruption := fs.Float64("corruption", 0.2, "fraction of inputs zeroed in training")
	seed := fs.Uint64("seed", 1, "seed of the weights, split and batch order")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" || *out == "" {
		return errors.New("dec train: --in and --out are required")
	}
	widths, err := parseInts(*hidden)
	if err != nil || len(widths) == 0 {
		return fmt.Errorf("--hidden %q: want positive widths such as 256,128,10", *hidden)
	}

	_, samples, err := readVectorFile(*in)
	if err != nil {
		return err
	}
	ae, err := dec.NewAutoencoder(append([]int{len(samples[0])}, widths...), *seed)
	if err != nil {
		return err
	}
	res, err := ae.Train(samples, dec.TrainConfig{Epochs: *epochs, BatchSize: *batch,
		Corruption: *corruption, Seed: *seed})
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "dec train: %d epochs, kept epoch %d\n", res.Epochs, res.BestEpoch)
	return writeEncoder(*out, ae)
}

func writeEncoder(path string, ae *dec.Autoencoder) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := dec.SaveEncoder(f, ae.Encoder); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// clusterLine is one output line of dec cluster.
type clusterLine struct {
	File    string `json:"file,omitempty"`
	Cluster int    `json:"cluster"`
}

func runDecCluster(_ context.Context, args []string) error {
	fs := newFlagSet("dec cluster", "")
	in := fs.String("in", "", "JSON lines with an \"embedding\" array each (required)")
	encoder := fs.String("encoder", "", "encoder `file` from dec train (required)")
	k := fs.Int("k", 0, "number of clusters (required)")
	out := fs.String("out", "", "`file` to write the DEC-refined encoder to (optional)")
	maxIter := fs.Int("max-iter", dec.DefaultMaxIter, "maximum DEC mini-batches")
	seed := fs.Uint64("seed", 1, "seed of k-means and the batch order")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" || *encoder == "" || *k < 1 {
		return errors.New("dec cluster: --in, --encoder and --k are required")
	}

	files, samples, err := readVectorFile(*in)
	if err != nil {
		return err
	}
	ae, err := readEncoder(*encoder)
	if err != nil {
		return err
	}
	res, err := dec.Cluster(ae, samples, dec.Config{K: *k, MaxIter: *maxIter, Seed: *seed})
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "dec cluster: %d mini-batches, converged %v\n",
		res.Iterations, res.Converged)
	if used := usedClusters(res.Labels); used < *k {
		fmt.Fprintf(os.Stderr, "dec cluster: warning: only %d of %d clusters kept samples; "+
			"DEC merged the others on these %d samples. Train the encoder on more samples, "+
			"or lower --k\n", used, *k, len(samples))
	}
	if *out != "" {
		if err := writeEncoder(*out, ae); err != nil {
			return err
		}
	}
	return printDecLabels(os.Stdout, files, res.Labels)
}

// usedClusters returns the number of distinct labels.
func usedClusters(labels []int) int {
	seen := map[int]bool{}
	for _, l := range labels {
		seen[l] = true
	}
	return len(seen)
}

func printDecLabels(w io.Writer, files []string, labels []int) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	for i, l := range labels {
		if err := enc.Encode(clusterLine{File: files[i], Cluster: l}); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// readEncoder loads an encoder file as an autoencoder without a decoder,
// which DEC does not need.
func readEncoder(path string) (*dec.Autoencoder, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	net, err := dec.LoadEncoder(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &dec.Autoencoder{Encoder: net}, nil
}

// readVectorFile reads JSON lines with an "embedding" array and an
// optional "file" name each, as edgecluster embed prints them.
func readVectorFile(path string) ([]string, [][]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	files, vectors, err := readVectors(f)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return files, vectors, nil
}

func readVectors(r io.Reader) ([]string, [][]float64, error) {
	decoder := json.NewDecoder(r)
	var files []string
	var vectors [][]float64
	for line := 1; ; line++ {
		var l struct {
			File      string    `json:"file"`
			Embedding []float64 `json:"embedding"`
		}
		err := decoder.Decode(&l)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("vector %d: invalid JSON: %w", line, err)
		}
		if len(l.Embedding) == 0 {
			return nil, nil, fmt.Errorf("vector %d has no \"embedding\" array", line)
		}
		files, vectors = append(files, l.File), append(vectors, l.Embedding)
	}
	if len(vectors) == 0 {
		return nil, nil, errors.New("no vectors: want JSON lines with an \"embedding\" array")
	}
	return files, vectors, nil
}
