package main

import (
	"path/filepath"
	"testing"
)

const int8ModelPath = "../../models/ssd_mobilenetv2_oidv4_backbone_int8.tflite"

func TestModelsResize(t *testing.T) {
	out := filepath.Join(t.TempDir(), "backbone_224.tflite")
	code, _ := capture(t, "models", "resize", "--size", "224", "-o", out, int8ModelPath)
	if code != 0 {
		t.Fatalf("models resize: exit code %d", code)
	}
	m, err := readModel(out)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Tensors[m.Outputs[0]].Shape; len(got) != 4 || got[1] != 7 || got[2] != 7 {
		t.Errorf("output shape %v, want [1 7 7 1280]", got)
	}
}

func TestParseImageSize(t *testing.T) {
	tests := []struct {
		in            string
		height, width int
		wantErr       bool
	}{
		{"224", 224, 224, false},
		{"240x320", 240, 320, false},
		{"0", 0, 0, true},
		{"224x", 0, 0, true},
		{"big", 0, 0, true},
	}
	for _, tt := range tests {
		h, w, err := parseImageSize(tt.in)
		if (err != nil) != tt.wantErr || h != tt.height || w != tt.width {
			t.Errorf("parseImageSize(%q) = %d, %d, %v; want %d, %d, error %v",
				tt.in, h, w, err, tt.height, tt.width, tt.wantErr)
		}
	}
}
