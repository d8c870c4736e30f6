package decode

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"runtime"
	"testing"

	"github.com/edgecluster/edgecluster/sensors"
)

// quadrants returns a w×h image with a distinct colour in each quadrant:
// red top left, green top right, blue bottom left, white bottom right.
func quadrants(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	colors := [4]color.RGBA{{255, 0, 0, 255}, {0, 255, 0, 255}, {0, 0, 255, 255},
		{255, 255, 255, 255}}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			q := 0
			if x >= w/2 {
				q++
			}
			if y >= h/2 {
				q += 2
			}
			img.SetRGBA(x, y, colors[q])
		}
	}
	return img
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withOrientation inserts a big- or little-endian EXIF APP1 segment holding
// orientation o right after the SOI marker of a JPEG.
func withOrientation(data []byte, o uint16, order binary.ByteOrder) []byte {
	tiff := make([]byte, 8+2+12+4)
	if order == binary.LittleEndian {
		copy(tiff, "II*\x00")
	} else {
		copy(tiff, "MM\x00*")
	}
	order.PutUint32(tiff[4:], 8)
	order.PutUint16(tiff[8:], 1)
	entry := tiff[10:]
	order.PutUint16(entry, tagOrientation)
	order.PutUint16(entry[2:], typeShort)
	order.PutUint32(entry[4:], 1)
	order.PutUint16(entry[8:], o)

	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, markerAPP1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	out := append([]byte{0xFF, 0xD8}, seg...)
	out = append(out, payload...)
	return append(out, data[2:]...)
}

// withJPEGSize rewrites the frame header (SOF0) of a baseline JPEG to claim
// w×h pixels. The scan data no longer matches, which does not matter for a
// check that must fail before the scan is read.
func withJPEGSize(t testing.TB, data []byte, w, h uint16) []byte {
	t.Helper()
	out := append([]byte{}, data...)
	i := bytes.Index(out, []byte{0xFF, 0xC0})
	if i < 0 {
		t.Fatal("no SOF0 marker")
	}
	binary.BigEndian.PutUint16(out[i+5:], h)
	binary.BigEndian.PutUint16(out[i+7:], w)
	return out
}

// withPNGSize rewrites the IHDR chunk of a PNG to claim w×h pixels and
// fixes the chunk checksum.
func withPNGSize(data []byte, w, h uint32) []byte {
	out := append([]byte{}, data...)
	ihdr := out[8+8 : 8+8+13]
	binary.BigEndian.PutUint32(ihdr, w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	binary.BigEndian.PutUint32(out[8+8+13:], crc32.ChecksumIEEE(out[8+4:8+8+13]))
	return out
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// near reports whether two 8-bit channels differ by at most tol.
func near(a, b uint8, tol int) bool {
	d := int(a) - int(b)
	return d >= -tol && d <= tol
}

func rgbAt(img image.Image, x, y int) color.RGBA {
	return color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
}

func TestDecodeErrors(t *testing.T) {
	small := encodeJPEG(t, quadrants(32, 24))
	smallPNG := encodePNG(t, quadrants(32, 24))
	tests := []struct {
		name string
		data []byte
		opts Options
		want error
	}{
		{"empty", nil, Options{}, ErrUnsupported},
		{"text", []byte("hello, camera"), Options{}, ErrUnsupported},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), Options{}, ErrUnsupported},
		{"truncated jpeg", small[:len(small)/2], Options{}, ErrMalformed},
		{"jpeg header only", small[:20], Options{}, ErrMalformed},
		{"jpeg zero width", withJPEGSize(t, small, 0, 24), Options{}, ErrMalformed},
		{"jpeg huge header", withJPEGSize(t, small, 65535, 65535), Options{}, ErrTooManyPixels},
		{"png huge header", withPNGSize(smallPNG, 50000, 50000), Options{}, ErrTooManyPixels},
		{"over custom limit", small, Options{MaxPixels: 32*24 - 1}, ErrTooManyPixels},
		{"at custom limit", small, Options{MaxPixels: 32 * 24}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := Decode(tt.data, tt.opts)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err %v, want %v", err, tt.want)
			}
			if tt.want == nil {
				return
			}
			if !errors.Is(err, sensors.ErrCorruptFrame) {
				t.Errorf("err %v does not wrap sensors.ErrCorruptFrame", err)
			}
			if img != nil {
				t.Errorf("image %T returned with error", img)
			}
		})
	}
}

func TestDecodeHugeHeaderAllocatesLittle(t *testing.T) {
	data := withJPEGSize(t, encodeJPEG(t, quadrants(32, 24)), 65535, 65535)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Decode(data, Options{})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooManyPixels) {
		t.Fatalf("err %v, want ErrTooManyPixels", err)
	}
	// One row of the claimed image alone would be 64 KiB of luma.
	if got := after.TotalAlloc - before.TotalAlloc; got > 64<<10 {
		t.Errorf("rejecting the header allocated %d bytes, want under 64 KiB", got)
	}
}

func TestDecodeColorModels(t *testing.T) {
	gray := image.NewGray(image.Rect(0, 0, 16, 16))
	for i := range gray.Pix {
		gray.Pix[i] = 200
	}
	alpha := image.NewNRGBA(image.Rect(0, 0, 16, 16))
	for i := 0; i < len(alpha.Pix); i += 4 {
		alpha.Pix[i], alpha.Pix[i+3] = 255, 0 // red, fully transparent
	}
	alpha.Pix[3] = 255 // pixel (0, 0) opaque red

	tests := []struct {
		name     string
		data     []byte
		opts     Options
		wantType string
		at       image.Point
		want     color.RGBA
	}{
		{"gray jpeg", encodeJPEG(t, gray), Options{}, "*image.Gray",
			image.Pt(3, 3), color.RGBA{200, 200, 200, 255}},
		{"ycbcr jpeg", encodeJPEG(t, quadrants(32, 32)), Options{}, "*image.YCbCr",
			image.Pt(28, 28), color.RGBA{255, 255, 255, 255}},
		{"cmyk jpeg left", readTestdata(t, "cmyk.jpg"), Options{}, "*image.RGBA",
			image.Pt(4, 8), color.RGBA{0xE0, 0x10, 0x10, 255}},
		{"cmyk jpeg right", readTestdata(t, "cmyk.jpg"), Options{}, "*image.RGBA",
			image.Pt(28, 8), color.RGBA{0x10, 0x10, 0xE0, 255}},
		{"png alpha over black", encodePNG(t, alpha), Options{}, "*image.RGBA",
			image.Pt(5, 5), color.RGBA{0, 0, 0, 255}},
		{"png alpha over white", encodePNG(t, alpha), Options{Background: color.White},
			"*image.RGBA", image.Pt(5, 5), color.RGBA{255, 255, 255, 255}},
		{"png opaque pixel kept", encodePNG(t, alpha), Options{Background: color.White},
			"*image.RGBA", image.Pt(0, 0), color.RGBA{255, 0, 0, 255}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := Decode(tt.data, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := typeName(img); got != tt.wantType {
				t.Errorf("type %s, want %s", got, tt.wantType)
			}
			if !img.(interface{ Opaque() bool }).Opaque() {
				t.Error("decoded image is not opaque")
			}
			got := rgbAt(img, tt.at.X, tt.at.Y)
			if !near(got.R, tt.want.R, 12) || !near(got.G, tt.want.G, 12) ||
				!near(got.B, tt.want.B, 12) {
				t.Errorf("pixel %v = %v, want %v", tt.at, got, tt.want)
			}
		})
	}
}

func typeName(img image.Image) string {
	switch img.(type) {
	case *image.Gray:
		return "*image.Gray"
	case *image.YCbCr:
		return "*image.YCbCr"
	case *image.RGBA:
		return "*image.RGBA"
	}
	return "other"
}

// withoutDHT removes the Huffman table segments of a JPEG, as USB cameras
// send their MJPEG frames.
func withoutDHT(data []byte) []byte {
	out := append([]byte{}, data[:2]...)
	walkSegments(data, func(m byte, seg []byte) bool {
		if m != markerDHT {
			out = append(out, seg...)
		}
		return true
	})
	sos := bytes.Index(data, []byte{0xFF, markerSOS})
	return append(out, data[sos:]...)
}

func TestDecodeWithoutHuffmanTables(t *testing.T) {
	full := encodeJPEG(t, quadrants(32, 32))
	bare := withoutDHT(full)
	if bytes.Contains(bare, []byte{0xFF, markerDHT}) || len(bare) >= len(full) {
		t.Fatal("test frame still has a DHT segment")
	}
	want, err := Decode(full, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(bare, Options{})
	if err != nil {
		t.Fatalf("frame without DHT: %v", err)
	}
	for _, p := range []image.Point{{4, 4}, {28, 4}, {4, 28}, {28, 28}} {
		if rgbAt(got, p.X, p.Y) != rgbAt(want, p.X, p.Y) {
			t.Errorf("pixel %v = %v, want %v", p, rgbAt(got, p.X, p.Y), rgbAt(want, p.X, p.Y))
		}
	}
}
