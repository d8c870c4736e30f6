package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/edgecluster/edgecluster/edge/embed"
	"github.com/edgecluster/edgecluster/edge/modeltools"
	"github.com/edgecluster/edgecluster/edge/tflite"
	"github.com/edgecluster/edgecluster/internal/fileutil"
)

// modelCommands are the subcommands of "edgecluster models".
var modelCommands = []command{
	{"inspect", "print inputs, outputs, ops, MACs, weights and embedding candidates",
		runModelsInspect},
	{"cut", "write a smaller model that ends at the given tensors", runModelsCut},
	{"resize", "write a copy of a model for another input image size", runModelsResize},
	{"quantize", "write a post-training int8 model calibrated on frames", runModelsQuantize},
	{"compare", "print the embedding cosine of two models on images", runModelsCompare},
}

func runModels(ctx context.Context, args []string) error {
	return runSubcommand(ctx, "models", "MODEL", modelCommands, args)
}

func runModelsInspect(_ context.Context, args []string) error {
	fs := newFlagSet("models inspect", "MODEL")
	asJSON := fs.Bool("json", false, "print the report as one JSON object")
	path, err := parseOneArg(fs, args)
	if err != nil {
		return err
	}
	m, err := readModel(path)
	if err != nil {
		return err
	}

	report := modeltools.Inspect(m)
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(report)
	}
	return report.WriteText(os.Stdout)
}

func runModelsCut(_ context.Context, args []string) error {
	fs := newFlagSet("models cut", "MODEL")
	var outputs stringList
	fs.Var(&outputs, "output", "tensor to end at: exact name, index or unique name prefix "+
		"(repeat for several outputs)")
	outPath := fs.String("o", "", "output model `file` (required)")
	asFloat32 := fs.Bool("float32", false, "store FLOAT16 and other dequantized weights "+
		"as FLOAT32 constants, without DEQUANTIZE operators")
	path, err := parseOneArg(fs, args)
	if err != nil {
		return err
	}
	if len(outputs) == 0 || *outPath == "" {
		fs.Usage()
		return errors.New("--output and -o are required")
	}

	m, err := readModel(path)
	if err != nil {
		return err
	}
	data, cut, err := cutModel(m, outputs)
	if err != nil {
		return err
	}
	if *asFloat32 {
		if data, cut, err = foldModel(cut); err != nil {
			return err
		}
	}
	if err := os.WriteFile(*outPath, data, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %s: %d bytes, %d ops, %d tensors (from %d bytes, %d ops, "+
		"%d tensors)\n", *outPath, len(data), len(cut.Operators), len(cut.Tensors),
		fileSize(path), len(m.Operators), len(m.Tensors))
	return nil
}

// foldModel replaces m's DEQUANTIZE operators of constants by FLOAT32
// constants, encodes the result and parses it back.
func foldModel(m *tflite.Model) ([]byte, *tflite.Model, error) {
	folded, err := modeltools.FoldDequantize(m)
	if err != nil {
		return nil, nil, err
	}
	return encodeParsed(folded)
}

// cutModel cuts m at the named tensors, encodes the result and parses it
// back, so only a model that this package can read is written.
func cutModel(m *tflite.Model, refs []string) ([]byte, *tflite.Model, error) {
	var outputs []int
	for _, ref := range refs {
		t, err := modeltools.ResolveTensor(m, ref)
		if err != nil {
			return nil, nil, err
		}
		outputs = append(outputs, t)
	}
	cut, err := modeltools.Cut(m, outputs)
	if err != nil {
		return nil, nil, err
	}
	return encodeParsed(cut)
}

// encodeParsed encodes m and parses the bytes back, so only a model that
// this package can read is written.
func encodeParsed(m *tflite.Model) ([]byte, *tflite.Model, error) {
	data, err := tflite.Encode(m)
	if err != nil {
		return nil, nil, err
	}
	parsed, err := tflite.Parse(data)
	if err != nil {
		return nil, nil, fmt.Errorf("written model does not parse: %w", err)
	}
	return data, parsed, nil
}

func readModel(path string) (*tflite.Model, error) {
	data, err := fileutil.ReadRegular(path, embed.MaxModelBytes)
	if err != nil {
		return nil, err
	}
	m, err := tflite.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	m.Name = filepath.Base(path)
	return m, nil
}

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return -1
	}
	return st.Size()
}

// parseOneArg parses flags given before or after one positional argument
// and returns that argument.
func parseOneArg(fs *flag.FlagSet, args []string) (string, error) {
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return "", errors.New("no model file given")
	}
	arg := fs.Arg(0)
	if err := fs.Parse(fs.Args()[1:]); err != nil {
		return "", err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return "", fmt.Errorf("unexpected arguments %s", strings.Join(fs.Args(), " "))
	}
	return arg, nil
}

// stringList is a flag.Value that collects every use of a repeated flag.
type stringList []string

func (s *stringList) String() string { return strings.Join(*s, ",") }

func (s *stringList) Set(v string) error {
	*s = append(*s, v)
	return nil
}
