//go:build linux

package v4l2

import (
	"fmt"
	"image"

	"github.com/edgecluster/edgecluster/sensors"
)

// yuyvImage copies a packed YUYV 4:2:2 frame (Y0 Cb Y1 Cr for each pair of
// pixels) into a planar image.YCbCr without colour conversion.
func yuyvImage(data []byte, p pixFormat) (image.Image, error) {
	w, h, stride := int(p.Width), int(p.Height), int(p.BytesPerLine)
	if w%2 != 0 || stride < 2*w || len(data) < stride*(h-1)+2*w {
		return nil, fmt.Errorf("%w: YUYV frame of %d bytes is short for %dx%d, stride %d",
			sensors.ErrCorruptFrame, len(data), w, h, stride)
	}
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio422)
	for y := 0; y < h; y++ {
		row := data[y*stride : y*stride+2*w]
		yRow := img.Y[y*img.YStride : y*img.YStride+w]
		cb := img.Cb[y*img.CStride : y*img.CStride+w/2]
		cr := img.Cr[y*img.CStride : y*img.CStride+w/2]
		for x := 0; x < w/2; x++ {
			yRow[2*x], cb[x], yRow[2*x+1], cr[x] = row[4*x], row[4*x+1], row[4*x+2], row[4*x+3]
		}
	}
	return img, nil
}
