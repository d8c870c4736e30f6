package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Quantizing the full detector, whose first output is the box tensor,
// names the cut that makes it an embedding model.
func TestQuantizeFullModelNamesCut(t *testing.T) {
	data, err := os.ReadFile(bundledModelPath)
	if err != nil {
		t.Fatal(err)
	}
	frames, err := filepath.Glob("../../edge/tflite/testdata/reference/*.png")
	if err != nil || len(frames) == 0 {
		t.Fatalf("reference images missing: %v", err)
	}
	_, err = quantizeModel(data, "full.tflite", frames[:1], io.Discard)
	if err == nil {
		t.Fatal("quantizing the full model succeeded, want a feature tensor error")
	}
	for _, want := range []string{"want [1,H,W,C]",
		"full.tflite: embed:",
		"edgecluster models cut MODEL --output 213 -o backbone.tflite",
		"edgecluster models inspect MODEL"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
