package decode

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"sync"
)

const markerDHT = 0xC4

// standardDHT is a DHT segment with the four Huffman tables of ITU-T T.81
// section K.3. Most USB (UVC) cameras omit DHT from their MJPEG frames and
// rely on those tables. image/jpeg's encoder writes the same tables, so the
// segment is taken from one small encoded image.
var standardDHT = sync.OnceValue(func() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	img.Set(1, 1, color.RGBA{200, 30, 90, 255}) // colour, so the chroma tables are written
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		panic("decode: encoding the Huffman table image: " + err.Error())
	}
	var dht []byte
	walkSegments(buf.Bytes(), func(m byte, seg []byte) bool {
		if m == markerDHT {
			dht = append(dht, seg...)
		}
		return true
	})
	return dht
})

// walkSegments calls fn with each marker and its whole segment, from the
// first after SOI up to, not including, SOS, until fn returns false. It
// stops at the first malformed segment.
func walkSegments(data []byte, fn func(m byte, seg []byte) bool) {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return
	}
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			return
		}
		m := data[i+1]
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if m == markerSOS || n < 2 || i+2+n > len(data) {
			return
		}
		if !fn(m, data[i:i+2+n]) {
			return
		}
		i += 2 + n
	}
}

// withHuffmanTables returns a JPEG without a DHT segment with standardDHT
// inserted right after SOI, and any other data unchanged.
func withHuffmanTables(data []byte) []byte {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return data
	}
	found := false
	walkSegments(data, func(m byte, _ []byte) bool {
		found = m == markerDHT
		return !found
	})
	if found || !bytes.Contains(data, []byte{0xFF, markerSOS}) {
		return data
	}
	dht := standardDHT()
	out := make([]byte, 0, len(data)+len(dht))
	out = append(out, data[:2]...)
	out = append(out, dht...)
	return append(out, data[2:]...)
}
