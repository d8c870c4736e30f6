package main

import (
	"context"
	"path/filepath"
	"strings"
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

func TestModelsResizeRejectsBelowStride(t *testing.T) {
	m, err := readModel(int8ModelPath)
	if err != nil {
		t.Fatal(err)
	}
	if h, w := totalStride(m); h != 32 || w != 32 {
		t.Fatalf("total stride %dx%d, want 32x32 (MobileNetV2)", h, w)
	}
	tests := []struct {
		size    string
		wantErr string // "" for none
	}{
		{"1", "size 1x1 is below the model's minimum 32x32"},
		{"31x64", "use --size 32 or more"},
		{"32", ""},
	}
	for _, tt := range tests {
		out := filepath.Join(t.TempDir(), "m.tflite")
		err := runModelsResize(context.Background(),
			[]string{"--size", tt.size, "-o", out, int8ModelPath})
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("--size %s: %v", tt.size, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("--size %s: err %v, want %q", tt.size, err, tt.wantErr)
		}
	}
}
