package decode

import (
	"encoding/binary"
	"image"
	"image/color"
	"testing"
)

func TestOrientationTag(t *testing.T) {
	jpg := encodeJPEG(t, quadrants(8, 8))
	tests := []struct {
		name string
		data []byte
		want int
	}{
		{"no exif", jpg, 1},
		{"big endian 6", withOrientation(jpg, 6, binary.BigEndian), 6},
		{"little endian 8", withOrientation(jpg, 8, binary.LittleEndian), 8},
		{"invalid 9", withOrientation(jpg, 9, binary.BigEndian), 1},
		{"zero", withOrientation(jpg, 0, binary.BigEndian), 1},
		{"cut exif", withOrientation(jpg, 3, binary.BigEndian)[:30], 1},
		{"png", encodePNG(t, quadrants(8, 8)), 1},
		{"empty", nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Orientation(tt.data); got != tt.want {
				t.Errorf("Orientation = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestDecodeAppliesOrientation decodes a 32×16 quadrant image (red top left,
// green top right, blue bottom left, white bottom right) under each EXIF
// orientation and checks where each colour ends up.
func TestDecodeAppliesOrientation(t *testing.T) {
	red, green := color.RGBA{255, 0, 0, 255}, color.RGBA{0, 255, 0, 255}
	blue, white := color.RGBA{0, 0, 255, 255}, color.RGBA{255, 255, 255, 255}
	jpg := encodeJPEG(t, quadrants(32, 16))
	tests := []struct {
		orientation uint16
		wantSize    image.Point
		// want lists the colours of the top-left, top-right, bottom-left and
		// bottom-right quadrants of the upright image.
		want [4]color.RGBA
	}{
		{1, image.Pt(32, 16), [4]color.RGBA{red, green, blue, white}},
		{2, image.Pt(32, 16), [4]color.RGBA{green, red, white, blue}},
		{3, image.Pt(32, 16), [4]color.RGBA{white, blue, green, red}},
		{4, image.Pt(32, 16), [4]color.RGBA{blue, white, red, green}},
		{5, image.Pt(16, 32), [4]color.RGBA{red, blue, green, white}},
		{6, image.Pt(16, 32), [4]color.RGBA{blue, red, white, green}},
		{7, image.Pt(16, 32), [4]color.RGBA{white, green, blue, red}},
		{8, image.Pt(16, 32), [4]color.RGBA{green, white, red, blue}},
	}
	for _, tt := range tests {
		data := withOrientation(jpg, tt.orientation, binary.BigEndian)
		img, err := Decode(data, Options{Orientation: true})
		if err != nil {
			t.Fatalf("orientation %d: %v", tt.orientation, err)
		}
		if got := img.Bounds().Size(); got != tt.wantSize {
			t.Errorf("orientation %d: size %v, want %v", tt.orientation, got, tt.wantSize)
			continue
		}
		w, h := tt.wantSize.X, tt.wantSize.Y
		probes := [4]image.Point{{w / 4, h / 4}, {3 * w / 4, h / 4}, {w / 4, 3 * h / 4},
			{3 * w / 4, 3 * h / 4}}
		for i, p := range probes {
			got := rgbAt(img, p.X, p.Y)
			w := tt.want[i]
			if !near(got.R, w.R, 40) || !near(got.G, w.G, 40) || !near(got.B, w.B, 40) {
				t.Errorf("orientation %d: pixel %v = %v, want %v", tt.orientation, p, got, w)
			}
		}
	}
}

func TestDecodeIgnoresOrientationByDefault(t *testing.T) {
	data := withOrientation(encodeJPEG(t, quadrants(32, 16)), 6, binary.BigEndian)
	img, err := Decode(data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := img.Bounds().Size(); got != image.Pt(32, 16) {
		t.Errorf("size %v, want 32x16 unrotated", got)
	}
}
