package embed

import (
	"image"
	"image/color"
)

// toRGB returns the pixels of img as packed 8-bit R, G, B rows, with fast
// paths for the types image/jpeg and image/png decode to.
func toRGB(img image.Image, dst []uint8) []uint8 {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dst = grow(dst, 3*w*h)
	switch src := img.(type) {
	case *image.YCbCr:
		ycbcrToRGB(src, dst)
	case *image.RGBA:
		packedToRGB(src.Pix, src.Stride, w, h, dst)
	case *image.NRGBA:
		packedToRGB(src.Pix, src.Stride, w, h, dst)
	case *image.Gray:
		grayToRGB(src, dst)
	default:
		genericToRGB(img, dst)
	}
	return dst
}

func grow(buf []uint8, n int) []uint8 {
	if cap(buf) < n {
		return make([]uint8, n)
	}
	return buf[:n]
}

func ycbcrToRGB(src *image.YCbCr, dst []uint8) {
	b := src.Bounds()
	i := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			yi, ci := src.YOffset(x, y), src.COffset(x, y)
			r, g, bl := color.YCbCrToRGB(src.Y[yi], src.Cb[ci], src.Cr[ci])
			dst[i], dst[i+1], dst[i+2] = r, g, bl
			i += 3
		}
	}
}

// packedToRGB drops the alpha channel of 4-byte pixels. For NRGBA this keeps
// the colour of translucent pixels instead of darkening them.
func packedToRGB(pix []uint8, stride, w, h int, dst []uint8) {
	i := 0
	for y := 0; y < h; y++ {
		row := pix[y*stride : y*stride+4*w]
		for x := 0; x < 4*w; x += 4 {
			dst[i], dst[i+1], dst[i+2] = row[x], row[x+1], row[x+2]
			i += 3
		}
	}
}

func grayToRGB(src *image.Gray, dst []uint8) {
	b := src.Bounds()
	i := 0
	for y := 0; y < b.Dy(); y++ {
		row := src.Pix[y*src.Stride : y*src.Stride+b.Dx()]
		for _, v := range row {
			dst[i], dst[i+1], dst[i+2] = v, v, v
			i += 3
		}
	}
}

func genericToRGB(img image.Image, dst []uint8) {
	b := img.Bounds()
	i := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			dst[i], dst[i+1], dst[i+2] = c.R, c.G, c.B
			i += 3
		}
	}
}
