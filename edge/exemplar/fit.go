package exemplar

import "fmt"

// sceneBytesPerPixel is the largest JPEG size per thumbnail pixel measured
// on demo/scenes.mjpeg (camera scenes, 480×360 frames scaled to 384 pixels)
// at each quality. Noise takes about twice as much, so it is an estimate
// for camera frames, not a bound.
var sceneBytesPerPixel = []struct {
	quality int
	bytes   float64
}{{70, 0.16}, {85, 0.24}, {90, 0.31}, {95, 0.44}, {100, 0.85}}

// EstimateBytes estimates the JPEG size of a 4:3 camera frame made into a
// thumbnail of the given longest side and quality.
func EstimateBytes(side, quality int) int {
	pixels := float64(side) * float64(side*3/4)
	return int(pixels * bytesPerPixel(quality))
}

// bytesPerPixel interpolates sceneBytesPerPixel linearly; qualities below
// the first entry use it.
func bytesPerPixel(quality int) float64 {
	prev := sceneBytesPerPixel[0]
	if quality <= prev.quality {
		return prev.bytes
	}
	for _, e := range sceneBytesPerPixel[1:] {
		if quality <= e.quality {
			f := float64(quality-prev.quality) / float64(e.quality-prev.quality)
			return prev.bytes + f*(e.bytes-prev.bytes)
		}
		prev = e
	}
	return prev.bytes
}

// CheckFit reports, after defaults, a thumbnail side and quality whose
// camera-frame JPEGs are estimated to exceed maxBytes. Such thumbnails
// would be encoded again smaller, every time, so the error names the
// largest quality and side that fit instead.
func (c Config) CheckFit(maxBytes int) error {
	c = c.WithDefaults()
	est := EstimateBytes(c.ThumbnailSide, c.Quality)
	if est <= maxBytes {
		return nil
	}
	q := c.Quality
	for q > 1 && EstimateBytes(c.ThumbnailSide, q) > maxBytes {
		q--
	}
	side := c.ThumbnailSide
	for side > 8 && EstimateBytes(side, c.Quality) > maxBytes {
		side--
	}
	return fmt.Errorf("%w: thumbnail_side %d with quality %d makes JPEGs of about %d bytes, "+
		"more than the %d bytes a thumbnail may take; use quality %d or less, or "+
		"thumbnail_side %d or less", ErrInvalidConfig, c.ThumbnailSide, c.Quality, est, maxBytes,
		q, side)
}
