package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"os"

	"github.com/edgecluster/edgecluster/daemon"
	"github.com/edgecluster/edgecluster/edge/embed"
	"github.com/edgecluster/edgecluster/internal/fileutil"
	"github.com/edgecluster/edgecluster/sensors/decode"
)

type embedLine struct {
	File      string    `json:"file"`
	Dims      int       `json:"dims"`
	Embedding []float32 `json:"embedding"`
}

func runEmbed(_ context.Context, args []string) error {
	fs := newFlagSet("embed", "IMAGE...")
	modelPath := fs.String("model", "", "TFLite model `file` (default bundled model)")
	precision := fs.String("precision", daemon.DefaultPrecision,
		"bundled model to use without --model: int8 or float")
	requantization := fs.String("requantization", daemon.DefaultRequantization,
		"int8 arithmetic: xnnpack (bit-exact with TFLite's XNNPACK runtime) or tflite "+
			"(TFLite's builtin fixed-point kernels)")
	tensor := fs.String("tensor", "", "feature tensor name prefix (default: bundled backbone "+
		"output, or a custom model's first output)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("no image files given")
	}

	if *precision != daemon.PrecisionInt8 && *precision != daemon.PrecisionFloat {
		return fmt.Errorf("--precision %q: use int8 or float", *precision)
	}
	if !daemon.ValidRequantization(*requantization) {
		return fmt.Errorf("invalid --requantization %q: use xnnpack or tflite", *requantization)
	}

	e, err := newEmbedder(daemon.ModelConfig{Path: *modelPath, Tensor: *tensor,
		Precision: *precision, Requantization: *requantization})
	if err != nil {
		return err
	}

	return printEmbeddings(e, fs.Args())
}

// printEmbeddings writes one JSON line per image and reports the images
// that failed.
func printEmbeddings(e *embed.Embedder, paths []string) error {
	enc := json.NewEncoder(os.Stdout)
	var failed int
	for _, path := range paths {
		vec, err := embedFile(e, path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "edgecluster embed: %s: %v\n", path, err)
			failed++
			continue
		}
		if err := enc.Encode(embedLine{File: path, Dims: len(vec), Embedding: vec}); err != nil {
			return err
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d images failed", failed, len(paths))
	}
	return nil
}

// newEmbedder loads the model that the daemon would load for mc.
func newEmbedder(mc daemon.ModelConfig) (*embed.Embedder, error) {
	data, opts, err := daemon.ModelBytes(mc)
	if err != nil {
		return nil, err
	}
	return embed.New(data, opts)
}

// maxImageBytes bounds one image file, as the replay source does.
const maxImageBytes = 16 << 20

func embedFile(e *embed.Embedder, path string) ([]float32, error) {
	img, err := decodeImageFile(path)
	if err != nil {
		return nil, err
	}
	return e.Embed(img)
}

// decodeImageFile reads a regular image file of at most maxImageBytes and
// decodes it.
func decodeImageFile(path string) (image.Image, error) {
	data, err := fileutil.ReadRegular(path, maxImageBytes)
	if err != nil {
		return nil, err
	}
	img, err := decode.Decode(data, decode.Options{})
	if err != nil {
		return nil, err
	}
	return img, nil
}
