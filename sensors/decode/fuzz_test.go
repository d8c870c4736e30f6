package decode

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/edgecluster/edgecluster/sensors"
)

// FuzzDecode checks that no input panics, that every error wraps
// sensors.ErrCorruptFrame and that every image is within the pixel limit.
func FuzzDecode(f *testing.F) {
	jpg := encodeJPEG(f, quadrants(16, 8))
	f.Add(jpg)
	f.Add(withOrientation(jpg, 6, binary.LittleEndian))
	f.Add(encodePNG(f, quadrants(16, 8)))
	f.Add(readTestdata(f, "cmyk.jpg"))
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := Decode(data, Options{MaxPixels: 1 << 16, Orientation: true})
		if err != nil {
			if !errors.Is(err, sensors.ErrCorruptFrame) {
				t.Fatalf("error %v does not wrap sensors.ErrCorruptFrame", err)
			}
			return
		}
		if n := img.Bounds().Dx() * img.Bounds().Dy(); n > 1<<16 || n == 0 {
			t.Fatalf("decoded %v, outside the limit", img.Bounds())
		}
	})
}
