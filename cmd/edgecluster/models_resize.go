package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/edgecluster/edgecluster/edge/modeltools"
	"github.com/edgecluster/edgecluster/edge/tflite"
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
	if err := checkMinSize(m, height, width); err != nil {
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

// checkMinSize rejects an input smaller than the model's total stride on
// either axis: below it the last feature map covers less than one cell of
// the image the weights were trained on, and the features are meaningless.
func checkMinSize(m *tflite.Model, height, width int) error {
	minH, minW := totalStride(m)
	if height >= minH && width >= minW {
		return nil
	}
	return fmt.Errorf("size %dx%d is below the model's minimum %dx%d (its total stride); "+
		"use --size %d or more", height, width, minH, minW, max(minH, minW))
}

// totalStride returns the largest product of convolution strides along any
// path from the model's input, per axis.
func totalStride(m *tflite.Model) (h, w int) {
	strideH, strideW := map[int]int{}, map[int]int{}
	h, w = 1, 1
	for _, op := range m.Operators {
		inH, inW := 1, 1
		for _, t := range op.Inputs {
			inH, inW = max(inH, strideH[t]), max(inW, strideW[t])
		}
		sh, sw := opStride(op)
		for _, t := range op.Outputs {
			strideH[t], strideW[t] = inH*sh, inW*sw
		}
		h, w = max(h, inH*sh), max(w, inW*sw)
	}
	return h, w
}

// opStride returns the strides of a convolution, 1 and 1 for other
// operators.
func opStride(op tflite.Operator) (int, int) {
	switch o := op.Options.(type) {
	case *tflite.Conv2DOptions:
		return max(o.StrideH, 1), max(o.StrideW, 1)
	case *tflite.DepthwiseConv2DOptions:
		return max(o.StrideH, 1), max(o.StrideW, 1)
	}
	return 1, 1
}
