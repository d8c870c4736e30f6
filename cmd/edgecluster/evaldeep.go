package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/edgecluster/edgecluster/edge/eval"
)

// deepFlags selects the autoencoder-based methods of `edgecluster eval`.
type deepFlags struct {
	methods, hidden string
	epochs          int
	corruption      float64
}

func (f *deepFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.methods, "methods", "kmeans", "comma-separated methods: kmeans "+
		"(streaming and batch k-means, always run), ae (k-means on autoencoder codes), "+
		"dec, idec, tsne (k-means on a t-SNE map of the codes), tsne-gmm (a Gaussian "+
		"mixture on that map), tsne-dec, tsne-idec "+
		"(DEC and IDEC started from the t-SNE clusters), pca-tsne, pca-tsne-gmm (k-means "+
		"and the mixture on a t-SNE map of the inputs' first 50 principal components, "+
		"no autoencoder)")
	fs.StringVar(&f.hidden, "ae-hidden", "", "comma-separated encoder widths after the "+
		"input, code width last (default "+joinInts(eval.DefaultHidden)+")")
	fs.IntVar(&f.epochs, "ae-epochs", 0, fmt.Sprintf("maximum autoencoder pretraining "+
		"epochs (default %d)", eval.DefaultDeepEpochs))
	fs.Float64Var(&f.corruption, "ae-corruption", 0, fmt.Sprintf("fraction of inputs "+
		"zeroed in pretraining; negative for none (default %g)", eval.DefaultDeepCorruption))
}

// methodNames maps the names of --methods to eval method names.
var methodNames = map[string]string{
	"ae": eval.MethodAEKMeans, "dec": eval.MethodDEC, "idec": eval.MethodIDEC,
	"tsne": eval.MethodAETSNE, "tsne-gmm": eval.MethodAETSNEGMM,
	"pca-tsne": eval.MethodPCATSNE, "pca-tsne-gmm": eval.MethodPCATSNEGMM, "tsne-dec": eval.MethodDECTSNE, "tsne-idec": eval.MethodIDECTSNE,
}

// options returns the eval options for the selected methods, or nil when
// none of them needs an autoencoder.
func (f deepFlags) options() (*eval.DeepOptions, error) {
	o := eval.DeepOptions{Epochs: f.epochs, Corruption: f.corruption}
	for _, m := range strings.Split(f.methods, ",") {
		m = strings.TrimSpace(m)
		name, ok := methodNames[m]
		switch {
		case m == "kmeans":
		case ok:
			o.Methods = append(o.Methods, name)
		default:
			return nil, fmt.Errorf("unknown method %q in --methods: use kmeans, ae, dec, "+
				"idec, tsne, tsne-gmm, tsne-dec, tsne-idec, pca-tsne or pca-tsne-gmm", m)
		}
	}
	if len(o.Methods) == 0 {
		return nil, nil
	}
	hidden, err := parseInts(f.hidden)
	if err != nil {
		return nil, fmt.Errorf("--ae-hidden %q: %w", f.hidden, err)
	}
	o.Hidden = hidden
	return &o, nil
}

// commandLine returns the deep flags that differ from their defaults, as
// they would be typed.
func (f deepFlags) commandLine() string {
	var b strings.Builder
	if f.methods != "kmeans" {
		fmt.Fprintf(&b, " --methods %s", f.methods)
	}
	if f.hidden != "" {
		fmt.Fprintf(&b, " --ae-hidden %s", f.hidden)
	}
	if f.epochs != 0 {
		fmt.Fprintf(&b, " --ae-epochs %d", f.epochs)
	}
	if f.corruption != 0 {
		fmt.Fprintf(&b, " --ae-corruption %g", f.corruption)
	}

	return b.String()
}

func parseInts(s string) ([]int, error) {
	if s == "" {
		return nil, nil
	}
	var out []int
	for _, field := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(field))
		if err != nil || v < 1 {
			return nil, fmt.Errorf("width %q is not a positive integer", field)
		}
		out = append(out, v)
	}
	return out, nil
}

func joinInts(vs []int) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = strconv.Itoa(v)
	}
	return strings.Join(parts, ",")
}
