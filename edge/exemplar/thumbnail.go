package exemplar

import (
	"bytes"
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
	w, h := thumbnailSize(b.Dx(), b.Dy(), side)
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			out.SetRGBA(x, y, averageCell(img, b, x, y, w, h))
		}
	}

	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, out, &jpeg.Options{Quality: quality}); err != nil {
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
