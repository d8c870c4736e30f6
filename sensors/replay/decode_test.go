package replay

import (
	"context"
	"encoding/binary"
	"errors"
	"image"
	"path/filepath"
	"testing"

	"github.com/edgecluster/edgecluster/sensors/decode"
)

// rotated inserts a big-endian EXIF block with orientation 6 (turn 90°
// clockwise to view) after the SOI marker of a JPEG.
func rotated(jpg []byte) []byte {
	tiff := []byte("MM\x00*\x00\x00\x00\x08\x00\x01" + // header, IFD0 at 8, one entry
		"\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00" + // orientation SHORT 6
		"\x00\x00\x00\x00") // no next IFD
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	out := append([]byte{0xFF, 0xD8}, seg...)
	out = append(out, payload...)
	return append(out, jpg[2:]...)
}

func TestReplayFolderAppliesLimits(t *testing.T) {
	wide := image.NewGray(image.Rect(0, 0, 40, 20))
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "01.jpg"), rotated(encode(t, wide, false)))
	square := image.NewGray(image.Rect(0, 0, 64, 64))
	writeFile(t, filepath.Join(dir, "02.jpg"), encode(t, square, false))

	s, err := Open(dir, Options{Decode: decode.Options{MaxPixels: 40 * 20}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	f, err := s.Next(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Image.Bounds().Size(); got != image.Pt(20, 40) {
		t.Errorf("photo with orientation 6: size %v, want 20x40", got)
	}
	if _, err := s.Next(context.Background()); !errors.Is(err, decode.ErrTooManyPixels) {
		t.Errorf("64x64 image over a 800-pixel limit: err %v, want ErrTooManyPixels", err)
	}
}
