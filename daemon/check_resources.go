package daemon

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"strings"

	"github.com/edgecluster/edgecluster/edge/embed"
	"github.com/edgecluster/edgecluster/sensors/decode"
	"github.com/edgecluster/edgecluster/sensors/replay"
)

// CheckConfigFile returns what CheckConfig returns, followed, unless the
// file is not valid TOML, by what CheckResources finds, sorted by line.
func CheckConfigFile(data []byte) (Config, []Problem) {
	c, problems := CheckConfig(data)
	for _, p := range problems {
		if strings.HasPrefix(p.Message, invalidTOML) {
			return c, problems // nothing was decoded
		}
	}
	problems = append(problems, CheckResources(c, data)...)
	sortProblems(problems)
	return c, problems
}

// CheckResources opens what c names the way Run does, without embedding
// anything, and returns what Run would reject at start. That is a
// source.path or model.path that cannot be opened, a model whose embedding
// dimension is not above cluster.pca_dims, or an MQTT TLS file that cannot
// be opened. Data is the config file, for line numbers. A missing V4L2 device or pipe program is
// only a warning, because the daemon retries a live source until it works.
//
// Relative paths are resolved against the current directory, which may
// differ from the directory the daemon runs in.
func CheckResources(c Config, data []byte) []Problem {
	c = c.WithDefaults()
	lines := keyLines(data)
	problem := func(key, msg string, warning bool) Problem {
		return Problem{Key: key, Line: lines[key], Message: msg, Warning: warning}
	}
	problems := checkSource(c.Source, problem)
	problems = append(problems, checkModel(c, problem)...)
	for key, path := range map[string]string{"mqtt.ca_file": c.MQTT.CAFile,
		"mqtt.cert_file": c.MQTT.CertFile, "mqtt.key_file": c.MQTT.KeyFile} {
		if path == "" {
			continue
		}
		if msg := unreadable(path); msg != "" {
			problems = append(problems, problem(key, msg, false))
		}
	}
	sortProblems(problems)
	return problems
}

// problemFunc makes a Problem for key with the line the key is set on.
type problemFunc func(key, msg string, warning bool) Problem

// checkSource opens a file source as Run does, and looks for the device or
// program of a live source. URLs are not fetched.
func checkSource(sc SourceConfig, problem problemFunc) []Problem {
	switch sc.kind() {
	case KindFile:
		if sc.Path == "" {
			return nil // Validate reports it
		}
		src, err := replay.Open(sc.Path, replay.Options{
			Decode: decode.Options{MaxPixels: sc.MaxPixels}})
		if err != nil {
			return []Problem{problem("source.path", describeOpenError(sc.Path, err), false)}
		}
		_ = src.Close()
	case KindV4L2:
		if _, err := os.Stat(sc.device()); err != nil {
			return []Problem{problem("source.device", fmt.Sprintf("%s: %v; the daemon "+
				"starts anyway and opens the camera once it appears", sc.device(),
				pathErr(err)), true)}
		}
	case KindPipe:
		if len(sc.Command) == 0 {
			return nil // Validate reports it
		}
		if _, err := exec.LookPath(sc.Command[0]); err != nil {
			return []Problem{problem("source.command", fmt.Sprintf("%v; the daemon starts "+
				"anyway and retries the program with backoff", err), true)}
		}
	}
	return nil
}

// checkModel loads the model as Run does, without running it, and checks
// cluster.pca_dims against its embedding dimension.
func checkModel(c Config, problem problemFunc) []Problem {
	if !ValidRequantization(c.Model.Requantization) {
		return nil // Validate reports it
	}
	key := "model.path"
	if c.Model.Path == "" {
		key = "model.tensor"
	}
	data, opts, err := ModelBytes(c.Model)
	if err != nil {
		return []Problem{problem(key, describeOpenError(c.Model.Path, err), false)}
	}
	e, err := embed.New(data, opts)
	if err != nil {
		return []Problem{problem(key, fmt.Sprintf("model %s cannot be loaded: %v", opts.Name,
			err), false)}
	}
	var ke *KeyError
	if errors.As(checkPCADims(c.Cluster, e.Identity().Dims), &ke) {
		return []Problem{problem(ke.Key, ke.Message, false)}
	}
	return nil
}

// unreadable returns why path cannot be opened for reading, or "".
func unreadable(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return describeOpenError(path, err)
	}
	_ = f.Close()
	return ""
}

// describeOpenError states why path could not be opened, with the file
// named once.
func describeOpenError(path string, err error) string {
	return fmt.Sprintf("%q cannot be opened: %v", path, pathErr(err))
}

// pathErr returns the cause inside a *fs.PathError, which repeats the path.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
