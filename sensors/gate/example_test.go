package gate_test

import (
	"fmt"
	"image"
	"time"

	"github.com/edgecluster/edgecluster/sensors/gate"
)

func ExampleGate() {
	g := gate.New(gate.Options{})
	dark := image.NewGray(image.Rect(0, 0, 64, 48))
	lit := image.NewGray(image.Rect(0, 0, 64, 48))
	for i := range lit.Pix {
		lit.Pix[i] = 90
	}
	for _, img := range []image.Image{dark, dark, lit} {
		pass, diff := g.Check(img, time.Now())
		fmt.Printf("pass=%v diff=%.0f\n", pass, diff)
	}
	fmt.Printf("%+v\n", g.Counters())
	// Output:
	// pass=true diff=255
	// pass=false diff=0
	// pass=true diff=90
	// {Seen:3 Gated:1 Passed:2}
}
