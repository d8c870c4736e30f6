package decode

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	_ "image/jpeg" // register the JPEG format
	_ "image/png"  // register the PNG format

	"github.com/edgecluster/edgecluster/sensors"
)

// DefaultMaxPixels is the pixel limit used when Options.MaxPixels is zero:
// 4096×4096, above 4K UHD video and most phone cameras.
const DefaultMaxPixels = 4096 * 4096

// ErrMalformed marks data that claims to be a JPEG or PNG but cannot be
// decoded: truncated, corrupt or with a zero-sized header.
var ErrMalformed = fmt.Errorf("%w: malformed image", sensors.ErrCorruptFrame)

// ErrUnsupported marks data in a format other than JPEG or PNG.
var ErrUnsupported = fmt.Errorf("%w: unsupported image format", sensors.ErrCorruptFrame)

// ErrTooManyPixels marks an image whose header claims more pixels than
// Options.MaxPixels. It is rejected before its pixels are allocated.
var ErrTooManyPixels = fmt.Errorf("%w: image exceeds pixel limit", sensors.ErrCorruptFrame)

// Options configures Decode. The zero value applies DefaultMaxPixels,
// composites alpha over black and ignores EXIF orientation.
type Options struct {
	// MaxPixels bounds width×height. 0 means DefaultMaxPixels.
	MaxPixels int

	// Background is the colour behind transparent pixels. Nil means black.
	// Its own alpha is ignored, so the result is always opaque.
	Background color.Color

	// Orientation applies the EXIF orientation tag of a JPEG. Camera
	// streams leave it off because their frames carry no EXIF block.
	Orientation bool
}

// Decode decodes one JPEG or PNG image. A JPEG without Huffman tables, as
// USB cameras send them, is decoded with the standard tables. The result is an opaque
// *image.YCbCr, *image.Gray or *image.RGBA whose bounds start at (0, 0).
// Every error wraps sensors.ErrCorruptFrame and one of ErrMalformed,
// ErrUnsupported or ErrTooManyPixels.
func Decode(data []byte, opts Options) (image.Image, error) {
	if err := checkHeader(data, opts.maxPixels()); err != nil {
		return nil, err
	}

	img, _, err := image.Decode(bytes.NewReader(withHuffmanTables(data)))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}

	img = normalize(img, opts.Background)
	if opts.Orientation {
		img = Orient(img, Orientation(data))
	}
	return img, nil
}

func (o Options) maxPixels() int {
	if o.MaxPixels <= 0 {
		return DefaultMaxPixels
	}
	return o.MaxPixels
}

// checkHeader reads only the image header and applies the pixel limit.
func checkHeader(data []byte, maxPixels int) error {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if errors.Is(err, image.ErrFormat) {
		return fmt.Errorf("%w: first bytes %q: send JPEG or PNG", ErrUnsupported, prefix(data))
	}
	if err != nil {
		return fmt.Errorf("%w: header: %v", ErrMalformed, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return fmt.Errorf("%w: %s header claims %d×%d pixels", ErrMalformed, format,
			cfg.Width, cfg.Height)
	}
	if int64(cfg.Width)*int64(cfg.Height) > int64(maxPixels) {
		return fmt.Errorf("%w: %s header claims %d×%d pixels, limit %d: "+
			"lower the camera resolution or raise the pixel limit",
			ErrTooManyPixels, format, cfg.Width, cfg.Height, maxPixels)
	}
	return nil
}

func prefix(data []byte) []byte {
	return data[:min(len(data), 8)]
}

// normalize converts img to one of the types the embedder reads directly,
// composited over bg when it has transparent pixels.
func normalize(img image.Image, bg color.Color) image.Image {
	if img.Bounds().Min != (image.Point{}) {
		return flatten(img, bg)
	}
	switch m := img.(type) {
	case *image.YCbCr, *image.Gray:
		return m
	case *image.RGBA:
		if m.Opaque() {
			return m
		}
	}
	return flatten(img, bg)
}

// flatten draws img over a solid background into a new RGBA image. For
// CMYK and paletted images it is a plain colour conversion.
func flatten(img image.Image, bg color.Color) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Bounds(), image.NewUniform(opaque(bg)), image.Point{}, draw.Src)
	draw.Draw(out, out.Bounds(), img, b.Min, draw.Over)
	return out
}

// opaque returns bg with full alpha, or black for nil.
func opaque(bg color.Color) color.RGBA {
	if bg == nil {
		return color.RGBA{A: 0xFF}
	}
	r, g, b, _ := bg.RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 0xFF}
}
