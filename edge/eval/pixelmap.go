package eval

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/edgecluster/edgecluster/edge/cluster"
	"github.com/edgecluster/edgecluster/edge/dec"
	"github.com/edgecluster/edgecluster/edge/reduce"
)

// Method names of the clusterers that start from a 2-D t-SNE map of the
// principal components of the raw inputs, with no autoencoder.
const (
	MethodPCATSNE    = "PCA + t-SNE + edgecluster KMeans"
	MethodPCATSNEGMM = "PCA + t-SNE + edgecluster GMM"
)

// pixelPCADims is the number of principal components that t-SNE maps.
// Inputs with at most this many values are mapped whole.
const pixelPCADims = 50

// runsPixelMap reports whether the options select a method on the t-SNE
// map of the inputs' principal components.
func (o DeepOptions) runsPixelMap() bool {
	return o.runs(MethodPCATSNE) || o.runs(MethodPCATSNEGMM)
}

// runPixelMap maps the first pixelPCADims principal components of samples
// to 2-D with t-SNE and clusters the map with k-means and a Gaussian
// mixture, as far as selected. The PCA and t-SNE seconds are added to each.
func runPixelMap(ctx context.Context, samples [][]float64, k int, opts Options,
	log *slog.Logger) ([]labelling, error) {
	start := time.Now()
	points := samples
	if dims := min(pixelPCADims, len(samples)-1); dims < len(samples[0]) {
		var err error
		if _, points, err = reduce.PCA(samples, dims); err != nil {
			return nil, fmt.Errorf("eval: PCA of inputs: %w", err)
		}
	}
	log.Info("mapping principal components with t-SNE", "points", len(points),
		"dims", len(points[0]))
	mapped, err := reduce.TSNE(ctx, points, reduce.TSNEOptions{Init: reduce.InitPCA,
		Seed: uint64(opts.Seed)})
	if err != nil {
		return nil, fmt.Errorf("eval: t-SNE of principal components: %w", err)
	}
	mapSeconds := time.Since(start).Seconds()

	var out []labelling
	if opts.Deep.runs(MethodPCATSNE) {
		l, err := mapKMeans(mapped, k, MethodPCATSNE, opts)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	if opts.Deep.runs(MethodPCATSNEGMM) {
		l, err := mapGMM(mapped, k, MethodPCATSNEGMM, opts, log)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	for i := range out {
		out[i].seconds += mapSeconds
	}
	return out, nil
}

// mapKMeans clusters a t-SNE map with k-means and labels the result method.
func mapKMeans(mapped [][]float64, k int, method string, opts Options) (labelling, error) {
	start := time.Now()
	km, err := cluster.KMeans(convertRows[float32](mapped), cluster.BatchConfig{K: k,
		NInit: dec.DefaultKMeansRun, Seed: opts.Seed})
	if err != nil {
		return labelling{}, fmt.Errorf("eval: k-means on the t-SNE map: %w", err)
	}
	return labelling{method: method, labels: km.Labels, seconds: time.Since(start).Seconds()},
		nil
}
