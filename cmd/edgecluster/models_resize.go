package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/edgecluster/edgecluster/edge/modeltools"
)

func runModelsResize(_ context.Context, args []string) error {
	fs := newFlagSet("models resize", "MODEL")
	size := fs.String("size", "", "input `HxW` or N for NxN, such as 224 (required)")
	outPath := fs.String("o", "", "output model `file` (required)")
	path, err := parseOneArg(fs, args)
	if err != nil {
		return err
	}
	if *size == "" || *outPath == "" {
		fs.Usage()
		return errors.New("--size and -o are required")
	}
	height, width, err := parseImageSize(*size)
	if err != nil {
		return err
	}

	m, err := readModel(path)
	if err != nil {
		return err
	}
	resized, err := modeltools.Resize(m, height, width)
	if err != nil {
		return err
	}
	data, _, err := encodeParsed(resized)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*outPath, data, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %s: %d bytes, input %dx%d\n", *outPath, len(data),
		height, width)
	return nil
}

// parseImageSize reads "HxW" or "N" (for NxN) as positive integers.
func parseImageSize(s string) (height, width int, err error) {
	h, w, found := strings.Cut(s, "x")
	if !found {
		w = h
	}
	height, errH := strconv.Atoi(h)
	width, errW := strconv.Atoi(w)
	if errH != nil || errW != nil || height < 1 || width < 1 {
		return 0, 0, fmt.Errorf("size %q: expected HxW or N with positive integers, "+
			"such as 224 or 240x320", s)
	}
	return height, width, nil
}
