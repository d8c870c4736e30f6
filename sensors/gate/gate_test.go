package gate

import (
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"
	"testing"
	"time"
)

// scene returns a w×h gray image: a horizontal gradient plus brightness,
// with a 20×20 black square at (sx, sy) and uniform noise of ±noise.
func scene(w, h int, brightness, sx, sy, noise int, seed uint64) *image.Gray {
	rng := rand.New(rand.NewPCG(seed, 1))
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := x*200/w + brightness
			if x >= sx && x < sx+20 && y >= sy && y < sy+20 {
				v = 0
			}
			if noise > 0 {
				v += rng.IntN(2*noise+1) - noise
			}
			img.Pix[y*img.Stride+x] = uint8(min(max(v, 0), 255))
		}
	}
	return img
}

func TestGateSequence(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	base := scene(160, 120, 20, 10, 10, 0, 1)
	tests := []struct {
		name  string
		img   image.Image
		after time.Duration
		want  bool
	}{
		{"first frame", base, 0, true},
		{"same frame", base, time.Second, false},
		{"sensor noise", scene(160, 120, 20, 10, 10, 3, 2), time.Second, false},
		{"lights up", scene(160, 120, 45, 10, 10, 0, 3), time.Second, true},
		{"same lit frame", scene(160, 120, 45, 10, 10, 0, 3), time.Second, false},
		{"object moved", scene(160, 120, 45, 120, 80, 0, 4), time.Second, true},
		{"refresh due", scene(160, 120, 45, 120, 80, 0, 4), 10 * time.Second, true},
		{"size changed", scene(80, 60, 45, 60, 40, 0, 5), time.Second, true},
	}
	g := New(Options{Refresh: 10 * time.Second})
	now := start
	for _, tt := range tests {
		now = now.Add(tt.after)
		pass, diff := g.Check(tt.img, now)
		if pass != tt.want {
			t.Errorf("%s: pass %v (diff %.2f), want %v", tt.name, pass, diff, tt.want)
		}
	}
	want := Counters{Seen: 8, Gated: 3, Passed: 5}
	if got := g.Counters(); got != want {
		t.Errorf("counters %+v, want %+v", got, want)
	}
}

func TestGateNegativeThresholdPassesAll(t *testing.T) {
	g := New(Options{Threshold: -1})
	img := scene(64, 48, 0, 0, 0, 0, 1)
	for i := 0; i < 3; i++ {
		if pass, _ := g.Check(img, time.Time{}); !pass {
			t.Errorf("frame %d gated with negative threshold", i)
		}
	}
}

// TestThumbnailTypesAgree checks that the fast paths and the generic path
// produce about the same luma for the same picture.
func TestThumbnailTypesAgree(t *testing.T) {
	gray := scene(97, 61, 30, 40, 20, 0, 1)
	ycc := image.NewYCbCr(gray.Bounds(), image.YCbCrSubsampleRatio420)
	rgba := image.NewRGBA(gray.Bounds())
	for i := range ycc.Cb {
		ycc.Cb[i], ycc.Cr[i] = 128, 128
	}
	for y := 0; y < gray.Bounds().Dy(); y++ {
		for x := 0; x < gray.Bounds().Dx(); x++ {
			v := gray.GrayAt(x, y).Y
			ycc.Y[ycc.YOffset(x, y)] = v
			rgba.SetRGBA(x, y, color.RGBA{v, v, v, 255})
		}
	}
	want := Thumbnail(gray, 16, nil)
	for name, img := range map[string]image.Image{"ycbcr": ycc, "rgba": rgba} {
		got := Thumbnail(img, 16, nil)
		if len(got) != len(want) {
			t.Fatalf("%s: %d pixels, want %d", name, len(got), len(want))
		}
		if d := meanAbsDiff(got, want); d > 6 {
			t.Errorf("%s: thumbnail differs from gray by %.2f, want at most 6", name, d)
		}
	}
}

func TestThumbnailSize(t *testing.T) {
	tests := []struct {
		w, h, width int
		want        int
	}{
		{640, 480, 32, 32 * 24},
		{1280, 720, 32, 32 * 18},
		{8, 8, 32, 8 * 8},
		{1000, 1, 32, 32},
	}
	for _, tt := range tests {
		got := len(Thumbnail(image.NewGray(image.Rect(0, 0, tt.w, tt.h)), tt.width, nil))
		if got != tt.want {
			t.Errorf("%dx%d at width %d: %d pixels, want %d", tt.w, tt.h, tt.width, got, tt.want)
		}
	}
}

func BenchmarkGateCheck(b *testing.B) {
	for _, size := range []image.Point{{640, 480}, {1280, 720}} {
		b.Run(fmt.Sprintf("%dx%d", size.X, size.Y), func(b *testing.B) {
			img := image.NewYCbCr(image.Rect(0, 0, size.X, size.Y), image.YCbCrSubsampleRatio420)
			g := New(Options{})
			g.Check(img, time.Time{})
			b.ReportAllocs()
			for b.Loop() {
				if pass, _ := g.Check(img, time.Time{}); pass {
					b.Fatal("static frame passed")
				}
			}
		})
	}
}
