package gate

import (
	"image"
	"image/color"
)

// Thumbnail writes the luma of img, box-averaged down to width pixels wide
// and the matching height (at least 1), into dst and returns it. It reads
// the Y plane of *image.YCbCr and the pixels of *image.Gray directly and
// samples other types through At, one pixel per thumbnail pixel.
func Thumbnail(img image.Image, width int, dst []uint8) []uint8 {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	tw := min(width, w)
	th := max(1, h*tw/max(w, 1))
	if cap(dst) < tw*th {
		dst = make([]uint8, tw*th)
	}
	dst = dst[:tw*th]
	if w == 0 || h == 0 {
		return dst
	}

	switch m := img.(type) {
	case *image.YCbCr:
		boxAverage(m.Y[m.YOffset(b.Min.X, b.Min.Y):], m.YStride, w, h, tw, th, dst)
	case *image.Gray:
		boxAverage(m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, w, h, tw, th, dst)
	default:
		sample(img, tw, th, dst)
	}
	return dst
}

// boxAverage averages a w×h plane into tw×th cells. To keep the cost low on
// large frames it reads every second row and column of each cell.
func boxAverage(plane []uint8, stride, w, h, tw, th int, dst []uint8) {
	for ty := 0; ty < th; ty++ {
		y0, y1 := ty*h/th, (ty+1)*h/th
		for tx := 0; tx < tw; tx++ {
			x0, x1 := tx*w/tw, (tx+1)*w/tw
			var sum, n int
			for y := y0; y < y1; y += 2 {
				row := plane[y*stride:]
				for x := x0; x < x1; x += 2 {
					sum += int(row[x])
					n++
				}
			}
			dst[ty*tw+tx] = uint8(sum / max(n, 1))
		}
	}
}

func sample(img image.Image, tw, th int, dst []uint8) {
	b := img.Bounds()
	for ty := 0; ty < th; ty++ {
		y := b.Min.Y + (2*ty+1)*b.Dy()/(2*th)
		for tx := 0; tx < tw; tx++ {
			x := b.Min.X + (2*tx+1)*b.Dx()/(2*tw)
			dst[ty*tw+tx] = color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y
		}
	}
}
