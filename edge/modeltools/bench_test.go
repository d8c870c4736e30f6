package modeltools

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/edgecluster/edgecluster/edge/tflite"
)

// BenchmarkBackbone runs the int8 and the float backbone (the fp16 cut,
// whose weights the interpreter folds to float32) on one goroutine at the
// 224x224 input size of most embedders and at the model's native 300x300.
func BenchmarkBackbone(b *testing.B) {
	for _, precision := range []string{"int8", "float"} {
		for _, size := range []int{224, 300} {
			b.Run(fmt.Sprintf("%s/%d", precision, size), func(b *testing.B) {
				benchBackbone(b, precision, size)
			})
		}
	}
}

func benchBackbone(b *testing.B, precision string, size int) {
	m := loadModelFile(b, int8Backbone)
	if precision == "float" {
		var err error
		if m, err = tflite.Parse(cutBackbone(b)); err != nil {
			b.Fatal(err)
		}
	}

	resized, err := Resize(m, size, size)
	if err != nil {
		b.Fatal(err)
	}
	data, err := tflite.Encode(resized)
	if err != nil {
		b.Fatal(err)
	}
	if m, err = tflite.Parse(data); err != nil {
		b.Fatal(err)
	}
	in, err := tflite.NewInterpreter(m, tflite.Options{})
	if err != nil {
		b.Fatal(err)
	}

	r := rand.New(rand.NewPCG(1, 2))
	input := make([]float32, size*size*3)
	for i := range input {
		input[i] = r.Float32()*2 - 1
	}
	if err := in.SetInput(0, input); err != nil {
		b.Fatal(err)
	}

	b.ReportAllocs()
	for b.Loop() {
		if err := in.Invoke(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N), "ms/frame")
}
