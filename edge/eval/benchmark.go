package eval

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/edgecluster/edgecluster/edge/cluster"
	"github.com/edgecluster/edgecluster/edge/quality"
)

// Defaults that replace zero Options fields.
const (
	DefaultPython           = "/usr/bin/python3"
	DefaultSilhouetteSample = 2000
	DefaultSeed             = 1
)

// Options configures Evaluate. The zero value runs only this project's
// clusterers with the defaults below.
type Options struct {
	// PeerScript is the path of scripts/eval_sklearn.py. Empty skips the
	// scikit-learn peers.
	PeerScript string

	// Python is the interpreter that runs PeerScript. Empty means
	// DefaultPython, Debian's python3 with python3-sklearn.
	Python string

	// NInit is the number of restarts of both batch k-means fits. 0 means
	// cluster.DefaultNInit.
	NInit int

	// SilhouetteSample is the sample size above which the silhouette is
	// estimated by quality.SampledSilhouette instead of computed exactly. 0
	// means DefaultSilhouetteSample.
	SilhouetteSample int

	// Seed seeds every clusterer and the silhouette sample of the first
	// run, and run i uses Seed+i. 0 means DefaultSeed.
	Seed int64

	// Runs is the number of runs of every method, each with its own seed.
	// A Row contains the mean scores over the runs. 0 means DefaultRuns.
	Runs int

	// Deep, when not nil, adds the autoencoder-based clusterers: k-means on
	// the codes, DEC and IDEC.
	Deep *DeepOptions

	// Logger receives progress lines. nil means slog.Default().
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.Python == "" {
		o.Python = DefaultPython
	}
	if o.NInit == 0 {
		o.NInit = cluster.DefaultNInit
	}
	if o.SilhouetteSample == 0 {
		o.SilhouetteSample = DefaultSilhouetteSample
	}
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.Runs == 0 {
		o.Runs = DefaultRuns
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// Row is one method's scores on one data set, the mean over Runs runs.
type Row struct {
	Dataset string
	Method  string
	Points  int
	Runs    int

	// ACC, NMI and ARI compare the labels with the true classes.
	ACC, NMI, ARI float64

	// Silhouette is exact when SilhouetteStdErr is 0 and otherwise a
	// sampled estimate with that standard error.
	Silhouette       float64
	SilhouetteStdErr float64

	// DaviesBouldin and Inertia score the partition. Inertia is the sum of
	// squared distances to each cluster's mean (quality.Inertia).
	DaviesBouldin float64
	Inertia       float64

	// Seconds is the wall time of the fit, excluding scoring.
	Seconds float64

	// SD contains the standard deviations of the scores over the runs.
	SD Spread
}

// Evaluate clusters ds opts.Runs times with the streaming model, batch
// KMeans and, when opts.PeerScript is set, scikit-learn's MiniBatchKMeans
// and KMeans, scores every labelling with the same code, and returns one
// row per method with the mean scores. It also returns the scikit-learn
// version, or "" without peers.
func Evaluate(ctx context.Context, ds Dataset, opts Options) ([]Row, string, error) {
	opts = opts.withDefaults()
	if len(ds.Points) == 0 || ds.K < 1 || opts.Runs < 1 {
		return nil, "", fmt.Errorf("%w: data set %q has %d points and K = %d, with %d runs",
			ErrFormat, ds.Name, len(ds.Points), ds.K, opts.Runs)
	}
	log := opts.Logger.With("component", "eval", "dataset", ds.Name)

	var methods []string
	runs := map[string][]Row{}
	var version string
	for _, seed := range runSeeds(opts) {
		rows, v, err := evaluateOnce(ctx, ds, opts, seed, log)
		if err != nil {
			return nil, "", err
		}
		version = v
		for _, r := range rows {
			if runs[r.Method] == nil {
				methods = append(methods, r.Method)
			}
			runs[r.Method] = append(runs[r.Method], r)
		}
	}

	out := make([]Row, 0, len(methods))
	for _, method := range methods {
		out = append(out, summarize(runs[method]))
	}
	return out, version, nil
}

// evaluateOnce fits and scores every method once with seed.
func evaluateOnce(ctx context.Context, ds Dataset, opts Options, seed int64,
	log *slog.Logger) ([]Row, string, error) {
	opts.Seed = seed
	labellings, version, err := fitAll(ctx, ds, opts, log.With("seed", seed))
	if err != nil {
		return nil, "", err
	}
	rows := make([]Row, 0, len(labellings))
	for _, l := range labellings {
		row, err := score(ds, l, opts)
		if err != nil {
			return nil, "", fmt.Errorf("score %s on %s: %w", l.method, ds.Name, err)
		}
		rows = append(rows, row)
	}
	return rows, version, nil
}

func fitAll(ctx context.Context, ds Dataset, opts Options, log *slog.Logger) (
	[]labelling, string, error) {
	log.Info("fitting", "method", MethodStreaming, "points", len(ds.Points))
	streaming, err := runStreaming(ds, opts.Seed)
	if err != nil {
		return nil, "", err
	}
	log.Info("fitting", "method", MethodBatch, "n_init", opts.NInit)
	batch, err := runBatch(ds, opts.Seed, opts.NInit)
	if err != nil {
		return nil, "", err
	}
	out := []labelling{streaming, batch}
	if opts.Deep != nil {
		deep, err := runDeep(ctx, ds, opts, log)
		if err != nil {
			return nil, "", err
		}
		out = append(out, deep...)
	}
	if opts.PeerScript == "" {
		return out, "", nil
	}

	log.Info("fitting scikit-learn peers", "script", opts.PeerScript)
	peers, version, err := runPeers(ctx, opts.Python, opts.PeerScript, ds, opts.Seed, opts.NInit)
	if err != nil {
		return nil, "", err
	}
	return append(out, peers...), version, nil
}

func score(ds Dataset, l labelling, opts Options) (Row, error) {
	row := Row{
		Dataset: ds.Name, Method: l.method, Points: len(ds.Points), Seconds: l.seconds,
		ACC: quality.Accuracy(ds.Truth, l.labels),
		NMI: quality.NMI(ds.Truth, l.labels),
		ARI: quality.ARI(ds.Truth, l.labels),
	}

	var err error
	if row.Inertia, err = quality.Inertia(ds.Points, l.labels); err != nil {
		return Row{}, err
	}
	if err := silhouette(ds, l.labels, opts, &row); err != nil {
		return Row{}, err
	}
	db, err := quality.DaviesBouldin(ds.Points, l.labels)
	if errors.Is(err, quality.ErrTooFewClusters) {
		return row, nil
	}
	row.DaviesBouldin = db.Overall
	return row, err
}

func silhouette(ds Dataset, labels []int, opts Options, row *Row) error {
	if len(ds.Points) <= opts.SilhouetteSample {
		s, err := quality.Silhouette(ds.Points, labels)
		row.Silhouette = s.Overall
		return ignoreTooFew(err)
	}
	e, err := quality.SampledSilhouette(ds.Points, labels, opts.SilhouetteSample,
		uint64(opts.Seed))
	row.Silhouette, row.SilhouetteStdErr = e.Value, e.StdErr
	return ignoreTooFew(err)
}

// ignoreTooFew keeps a labelling with a single cluster in the table, with
// its undefined scores left at 0.
func ignoreTooFew(err error) error {
	if errors.Is(err, quality.ErrTooFewClusters) {
		return nil
	}
	return err
}
