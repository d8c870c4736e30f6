// Package decode turns one encoded still image (JPEG or PNG) into an opaque
// image.Image that the rest of the pipeline can read quickly.
//
// Decode reads the image header with image.DecodeConfig first and rejects a
// picture whose header claims more pixels than Options.MaxPixels before any
// pixel buffer is allocated, so a crafted 65535×65535 header costs nothing.
// Grayscale JPEGs stay *image.Gray and colour JPEGs stay *image.YCbCr. CMYK
// JPEGs, 16-bit and paletted PNGs become *image.RGBA, and pixels with alpha
// are composited over Options.Background. With Options.Orientation set, the
// EXIF orientation tag of a JPEG is applied, so a phone photo taken upright
// is embedded upright.
package decode
