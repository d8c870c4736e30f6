package exemplar

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand"
	"strings"
	"testing"
)

// noise returns a w×h image of random pixels, the hardest case for JPEG.
func noise(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewSource(1))
	for y := range h {
		for x := range w {
			img.SetRGBA(x, y, color.RGBA{uint8(rng.Intn(256)), uint8(rng.Intn(256)),
				uint8(rng.Intn(256)), 255})
		}
	}
	return img
}

func TestFitThumbnail(t *testing.T) {
	img := noise(640, 480)
	tests := []struct {
		name          string
		side, quality int
		maxBytes      int
		wantErr       error
		wantMaxSide   int
	}{
		{"fits as asked", 96, 70, 64 << 10, nil, 96},
		{"lower quality", 512, 100, 64 << 10, nil, 512},
		{"smaller side", 512, 100, 16 << 10, nil, 256},
		{"cannot fit", 512, 100, 200, ErrThumbnailTooLarge, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			asked, err := Thumbnail(img, tt.side, tt.quality)
			if err != nil {
				t.Fatal(err)
			}
			data, err := FitThumbnail(img, tt.side, tt.quality, tt.maxBytes)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if len(data) > tt.maxBytes {
				t.Errorf("%d bytes, limit %d", len(data), tt.maxBytes)
			}
			if len(asked) <= tt.maxBytes && !bytes.Equal(data, asked) {
				t.Errorf("a thumbnail that fits as asked was encoded again")
			}
			cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if side := max(cfg.Width, cfg.Height); side > tt.wantMaxSide {
				t.Errorf("longest side %d, want at most %d", side, tt.wantMaxSide)
			}
			t.Logf("asked %d bytes, made %d bytes at %dx%d", len(asked), len(data),
				cfg.Width, cfg.Height)
		})
	}
}

func TestConfigCheckFit(t *testing.T) {
	tests := []struct {
		side, quality int
		wantErr       string // "" for none
	}{
		{0, 0, ""},
		{512, 85, ""},
		{256, 100, ""},
		{512, 100, "thumbnail_side 512 with quality 100 makes JPEGs of about 167116 bytes"},
		{512, 95, "use quality 90 or less, or thumbnail_side 445 or less"},
	}
	for _, tt := range tests {
		err := Config{ThumbnailSide: tt.side, Quality: tt.quality}.CheckFit(64 << 10)
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("side %d quality %d: %v", tt.side, tt.quality, err)
			}
			continue
		}
		if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("side %d quality %d: err %v, want %q", tt.side, tt.quality, err,
				tt.wantErr)
		}
	}
}
