package decode_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"github.com/edgecluster/edgecluster/sensors/decode"
)

func ExampleDecode() {
	// A 4×4 PNG, fully transparent except one opaque red pixel.
	src := image.NewNRGBA(image.Rect(0, 0, 4, 4))
	src.SetNRGBA(0, 0, color.NRGBA{R: 255, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, src); err != nil {
		panic(err)
	}

	img, err := decode.Decode(buf.Bytes(), decode.Options{Background: color.White})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%T %v %v\n", img, img.At(0, 0), img.At(3, 3))

	_, err = decode.Decode(buf.Bytes(), decode.Options{MaxPixels: 15})
	fmt.Println(errors.Is(err, decode.ErrTooManyPixels))
	// Output:
	// *image.RGBA {255 0 0 255} {255 255 255 255}
	// true
}
