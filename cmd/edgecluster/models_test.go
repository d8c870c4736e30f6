package main

import (
	"path/filepath"
	"testing"
)

const bundledModelPath = "../../models/ssd_mobilenetv2_oidv4_fp16.tflite"

func TestModelsCutThenInspect(t *testing.T) {
	out := filepath.Join(t.TempDir(), "backbone.tflite")
	code, _ := capture(t, "models", "cut", bundledModelPath,
		"--output", "FeatureExtractor/MobilenetV2/Conv_1/Relu6", "-o", out)
	if code != 0 {
		t.Fatalf("models cut: exit code %d", code)
	}

	r := inspectJSON(t, out)
	if len(r.Outputs) != 1 || len(r.Outputs[0].Shape) != 4 || r.Outputs[0].Shape[3] != 1280 {
		t.Errorf("outputs %+v, want one [1 10 10 1280]", r.Outputs)
	}
	if len(r.Candidates) == 0 || r.Candidates[0].Index != r.Outputs[0].Index {
		t.Errorf("candidates %+v, want the output first", r.Candidates)
	}
	if r.MACs <= 0 || r.WeightBytes <= 0 {
		t.Errorf("MACs %d, weight bytes %d, want both positive", r.MACs, r.WeightBytes)
	}
}

func TestModelsCutErrors(t *testing.T) {
	out := filepath.Join(t.TempDir(), "x.tflite")
	tests := [][]string{
		{"models"},
		{"models", "nosuch"},
		{"models", "cut", bundledModelPath, "-o", out},
		{"models", "cut", bundledModelPath, "--output", "no/such/tensor", "-o", out},
		{"models", "cut", "missing.tflite", "--output", "1", "-o", out},
		{"models", "inspect"},
		{"models", "inspect", bundledModelPath, "extra"},
	}
	for _, args := range tests {
		if code, _ := capture(t, args...); code != 1 {
			t.Errorf("%v: exit code %d, want 1", args, code)
		}
	}
}
