package exemplar

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

func TestThumbnailSize(t *testing.T) {
	tests := []struct {
		w, h, side   int
		wantW, wantH int
	}{
		{640, 480, 96, 96, 72},
		{480, 640, 96, 72, 96},
		{50, 20, 96, 50, 20},
		{1000, 1, 96, 96, 1},
	}
	for _, tt := range tests {
		img := image.NewRGBA(image.Rect(0, 0, tt.w, tt.h))
		data, err := Thumbnail(img, tt.side, 70)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%dx%d: thumbnail does not decode: %v", tt.w, tt.h, err)
		}
		if cfg.Width != tt.wantW || cfg.Height != tt.wantH {
			t.Errorf("%dx%d: thumbnail %dx%d, want %dx%d", tt.w, tt.h, cfg.Width, cfg.Height,
				tt.wantW, tt.wantH)
		}
	}
}

func TestThumbnailAverages(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 200, 100))
	for y := range 100 {
		for x := range 200 {
			img.Set(x, y, color.RGBA{200, 40, 40, 255})
		}
	}
	data, err := Thumbnail(img, 20, 90)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	r, g, _, _ := out.At(10, 5).RGBA()
	if r>>8 < 180 || g>>8 > 70 {
		t.Errorf("thumbnail pixel r=%d g=%d, want about 200, 40", r>>8, g>>8)
	}
}

func TestThumbnailEmpty(t *testing.T) {
	if _, err := Thumbnail(image.NewRGBA(image.Rectangle{}), 96, 70); err == nil {
		t.Error("Thumbnail of an empty image returned no error")
	}
}

func BenchmarkThumbnail(b *testing.B) {
	for _, size := range []image.Point{{320, 240}, {640, 480}, {1280, 720}} {
		img := image.NewYCbCr(image.Rect(0, 0, size.X, size.Y), image.YCbCrSubsampleRatio420)
		b.Run(img.Bounds().Size().String(), func(b *testing.B) {
			for b.Loop() {
				if _, err := Thumbnail(img, DefaultThumbnailSide, DefaultQuality); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
