package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/edgecluster/edgecluster/daemon"
	"github.com/edgecluster/edgecluster/edge/embed"
	"github.com/edgecluster/edgecluster/edge/modeltools"
	"github.com/edgecluster/edgecluster/edge/tflite"
)

// imageExtensions are the file name endings that --calibrate and compare
// read from a folder.
var imageExtensions = []string{".jpg", ".jpeg", ".png"}

func runModelsQuantize(_ context.Context, args []string) error {
	fs := newFlagSet("models quantize", "MODEL")
	calibrate := fs.String("calibrate", "", "`folder` of JPEG or PNG calibration frames "+
		"(required); use frames like those the camera will see")
	outPath := fs.String("o", "", "output model `file` (required)")
	maxFrames := fs.Int("max-frames", 0, "calibrate on at most this many frames, "+
		"spread evenly over the folder (0: all)")
	path, err := parseOneArg(fs, args)
	if err != nil {
		return err
	}
	if *calibrate == "" || *outPath == "" {
		fs.Usage()
		return errors.New("--calibrate and -o are required")
	}

	files, err := imageFiles(*calibrate, *maxFrames)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, err := quantizeModel(data, filepath.Base(path), files, os.Stderr)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*outPath, out, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %s: %d bytes (from %d bytes), calibrated on %d frames\n",
		*outPath, len(out), len(data), len(files))
	return nil
}

// quantizeModel calibrates the float model data on the image files, writing
// a progress bar to progress, and returns the encoded int8 model.
func quantizeModel(data []byte, name string, files []string, progress io.Writer) (
	[]byte, error) {
	m, err := tflite.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	m.Name = name
	cal, err := modeltools.NewCalibrator(m)
	if err != nil {
		return nil, err
	}
	pre, err := embed.New(data, embed.Options{Name: name})
	if errors.Is(err, embed.ErrTensor) {
		return nil, fmt.Errorf("%s: %w. Cut the model at its backbone first, as in "+
			"`edgecluster models cut MODEL --output 213 -o backbone.tflite` for the bundled "+
			"model, and see `edgecluster models inspect MODEL` for embedding candidates",
			name, err)
	}
	if err != nil {
		return nil, err
	}

	input := make([]float32, mustElements(m.Tensors[m.Inputs[0]].Shape))
	for i, file := range files {
		if err := preprocessFile(pre, file, input); err != nil {
			return nil, err
		}
		if err := cal.Observe(input); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		drawProgress(progress, "calibrating", i+1, len(files))
	}

	q, err := modeltools.Quantize(m, cal.Ranges())
	if err != nil {
		return nil, err
	}
	return tflite.Encode(q)
}

func preprocessFile(e *embed.Embedder, path string, dst []float32) error {
	img, err := decodeImageFile(path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := e.Preprocess(img, dst); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// drawProgress redraws a one-line progress bar on w.
func drawProgress(w io.Writer, label string, done, total int) {
	const width = 30
	filled := width * done / max(total, 1)
	bar := strings.Repeat("=", filled) + strings.Repeat(" ", width-filled)
	fmt.Fprintf(w, "\r%s [%s] %d/%d frames", label, bar, done, total)
	if done == total {
		fmt.Fprintln(w)
	}
}

// imageFiles lists the JPEG and PNG files of dir in name order, keeping at
// most limit of them spread evenly when limit is positive.
func imageFiles(dir string, limit int) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if !e.IsDir() && slices.Contains(imageExtensions, ext) {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s has no .jpg, .jpeg or .png files", dir)
	}
	if limit <= 0 || limit >= len(files) {
		return files, nil
	}
	picked := make([]string, limit)
	for i := range picked {
		picked[i] = files[i*len(files)/limit]
	}
	return picked, nil
}

func mustElements(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

func runModelsCompare(_ context.Context, args []string) error {
	fs := newFlagSet("models compare", "MODEL_A MODEL_B IMAGE|FOLDER...")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() < 3 {
		fs.Usage()
		return errors.New("two models and at least one image or folder are required")
	}
	a, err := newEmbedder(daemon.ModelConfig{Path: fs.Arg(0)})
	if err != nil {
		return err
	}
	b, err := newEmbedder(daemon.ModelConfig{Path: fs.Arg(1)})
	if err != nil {
		return err
	}
	var files []string
	for _, arg := range fs.Args()[2:] {
		found, err := expandImages(arg)
		if err != nil {
			return err
		}
		files = append(files, found...)
	}
	return compareEmbeddings(os.Stdout, a, b, files)
}

// expandImages returns path itself, or the images of path when it is a
// folder.
func expandImages(path string) ([]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return imageFiles(path, 0)
	}
	return []string{path}, nil
}

// compareEmbeddings prints the cosine similarity of the two embedders'
// outputs for every file, then their mean and minimum.
func compareEmbeddings(w io.Writer, a, b *embed.Embedder, files []string) error {
	var sum float64
	worst, worstFile := math.Inf(1), ""
	for _, file := range files {
		va, err := embedFile(a, file)
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		vb, err := embedFile(b, file)
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		cos := cosine(va, vb)
		fmt.Fprintf(w, "%s\t%.5f\n", file, cos)
		sum += cos
		if cos < worst {
			worst, worstFile = cos, file
		}
	}
	fmt.Fprintf(w, "frames %d, mean cosine %.5f, min cosine %.5f (%s)\n", len(files),
		sum/float64(len(files)), worst, worstFile)
	return nil
}

// cosine returns the cosine similarity of a and b, 0 when either is zero.
func cosine(a, b []float32) float64 {
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}
