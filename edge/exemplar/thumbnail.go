package exemplar

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
)

// maxSamples is the side of the grid of source pixels averaged into one
// thumbnail pixel, which bounds the work for large frames.
const maxSamples = 4

// Thumbnail scales img so that its longest side is at most side pixels,
// averaging source pixels, and encodes it as a JPEG of the given quality.
// Smaller images keep their size.
func Thumbnail(img image.Image, side, quality int) ([]byte, error) {
	b := img.Bounds()
	if b.Empty() {
		return nil, fmt.Errorf("exemplar: thumbnail of an empty %v image", b)
	}
	return encode(scale(img, side), quality)
}

// ErrThumbnailTooLarge is returned by FitThumbnail when no JPEG down to
// FitMinQuality and FitMinSide fits the byte limit.
var ErrThumbnailTooLarge = errors.New("exemplar: thumbnail larger than the byte limit")

// Bounds of the smaller encodings FitThumbnail tries.
const (
	// FitMinQuality is the lowest JPEG quality FitThumbnail tries.
	FitMinQuality = 30

	// FitMinSide is the smallest longest side FitThumbnail tries.
	FitMinSide = 32

	// fitQualityStep is how much FitThumbnail lowers the quality each try.
	fitQualityStep = 15
)

// FitThumbnail is Thumbnail with a limit of maxBytes on the JPEG. While the
// JPEG is larger it encodes again at a quality fitQualityStep lower, down
// to FitMinQuality, then at half the side from the requested quality, down
// to FitMinSide.
func FitThumbnail(img image.Image, side, quality, maxBytes int) ([]byte, error) {
	b := img.Bounds()
	if b.Empty() {
		return nil, fmt.Errorf("exemplar: thumbnail of an empty %v image", b)
	}
	last := 0
	for s := side; ; s /= 2 {
		data, err := fitQuality(scale(img, s), quality, maxBytes)
		if err != nil || len(data) <= maxBytes {
			return data, err
		}
		last = len(data)
		if s/2 < FitMinSide {
			break
		}
	}
	return nil, fmt.Errorf("%w: %d bytes at side %d and quality %d, limit %d",
		ErrThumbnailTooLarge, last, min(side, FitMinSide), min(quality, FitMinQuality), maxBytes)
}

// fitQuality encodes img at quality, then at lower qualities while the
// JPEG is larger than maxBytes. It returns the last JPEG it made.
func fitQuality(img image.Image, quality, maxBytes int) ([]byte, error) {
	for q := quality; ; q -= fitQualityStep {
		q = max(q, min(quality, FitMinQuality))
		data, err := encode(img, q)
		if err != nil || len(data) <= maxBytes || q <= FitMinQuality {
			return data, err
		}
	}
}

// scale returns img scaled so that its longest side is at most side.
func scale(img image.Image, side int) *image.RGBA {
	b := img.Bounds()
	w, h := thumbnailSize(b.Dx(), b.Dy(), side)
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			out.SetRGBA(x, y, averageCell(img, b, x, y, w, h))
		}
	}
	return out
}

func encode(img image.Image, quality int) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return nil, fmt.Errorf("exemplar: encode thumbnail: %w", err)
	}
	return buf.Bytes(), nil
}

// thumbnailSize scales (w, h) to fit a side×side square, keeping the aspect
// ratio and at least one pixel on each side.
func thumbnailSize(w, h, side int) (int, int) {
	if w <= side && h <= side {
		return w, h
	}
	if w >= h {
		return side, max(1, h*side/w)
	}
	return max(1, w*side/h), side
}

// averageCell averages up to maxSamples² pixels of the source cell that
// output pixel (x, y) of a w×h thumbnail covers.
func averageCell(img image.Image, b image.Rectangle, x, y, w, h int) color.RGBA {
	x0, x1 := b.Min.X+x*b.Dx()/w, b.Min.X+(x+1)*b.Dx()/w
	y0, y1 := b.Min.Y+y*b.Dy()/h, b.Min.Y+(y+1)*b.Dy()/h
	stepX, stepY := max(1, (x1-x0)/maxSamples), max(1, (y1-y0)/maxSamples)

	var r, g, bl, n uint32
	for sy := y0; sy < max(y1, y0+1); sy += stepY {
		for sx := x0; sx < max(x1, x0+1); sx += stepX {
			cr, cg, cb, _ := img.At(sx, sy).RGBA()
			r, g, bl, n = r+cr>>8, g+cg>>8, bl+cb>>8, n+1
		}
	}
	return color.RGBA{uint8(r / n), uint8(g / n), uint8(bl / n), 255}
}
