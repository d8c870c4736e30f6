package main

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/edgecluster/edgecluster/edge/modeltools"
)

// TestModelsCutFloat32 checks that --float32 writes the backbone with only
// FLOAT32 weights and no DEQUANTIZE operators.
func TestModelsCutFloat32(t *testing.T) {
	out := filepath.Join(t.TempDir(), "backbone_f32.tflite")
	code, _ := capture(t, "models", "cut", "--float32", bundledModelPath, "--output", "213",
		"-o", out)
	if code != 0 {
		t.Fatalf("models cut --float32: exit code %d", code)
	}

	r := inspectJSON(t, out)
	if len(r.WeightTypes) != 1 || r.WeightTypes[0].Type != "FLOAT32" {
		t.Errorf("weight types %+v, want FLOAT32 only", r.WeightTypes)
	}
	for _, op := range r.Ops {
		if op.Name == "DEQUANTIZE" {
			t.Errorf("ops %+v include DEQUANTIZE", r.Ops)
		}
	}
}

// inspectJSON runs "models inspect --json" on path and decodes its report.
func inspectJSON(t *testing.T, path string) modeltools.Report {
	t.Helper()
	code, stdout := capture(t, "models", "inspect", "--json", path)
	if code != 0 {
		t.Fatalf("models inspect: exit code %d", code)
	}
	var r modeltools.Report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("decode report: %v", err)
	}
	return r
}
