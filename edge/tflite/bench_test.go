package tflite

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
)

// BenchmarkInvoke runs the MobileNetV2 backbone of the bundled model, from
// the 300x300 input to tensor 213, on one goroutine.
func BenchmarkInvoke(b *testing.B) {
	m := loadModel(b)
	in, err := NewInterpreter(m, Options{Outputs: []int{backboneTensor}})
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	if err := in.SetInput(0, randomFloats(r, 300*300*3)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := in.Invoke(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/frame")
}

// BenchmarkNewInterpreter measures planning and binding on a Model whose
// weights are already folded.
func BenchmarkNewInterpreter(b *testing.B) {
	m := loadModel(b)
	for b.Loop() {
		if _, err := NewInterpreter(m, Options{Outputs: []int{backboneTensor}}); err != nil {
			b.Fatal(err)
		}
	}
}

// benchKernel builds a one-operator graph and benchmarks Invoke, reporting
// multiply-adds per second.
func benchKernel(b *testing.B, g testGraph, macs int) {
	m, err := Parse(g.encode())
	if err != nil {
		b.Fatal(err)
	}
	in, err := NewInterpreter(m, Options{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		in.Invoke()
	}
	b.ReportMetric(float64(macs)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GMAC/s")
}

// Sizes follow MobileNetV2 layers at a 300x300 input.
func BenchmarkConv2DPointwise(b *testing.B) {
	for _, s := range []struct{ hw, in, out int }{{75, 24, 144}, {19, 64, 384}, {10, 320, 1280}} {
		b.Run(fmt.Sprintf("%dx%dx%d-to-%d", s.hw, s.hw, s.in, s.out), func(b *testing.B) {
			c := convCase{in: []int{1, s.hw, s.hw, s.in}, filter: []int{s.out, 1, 1, s.in},
				strideH: 1, strideW: 1, dilH: 1, dilW: 1, act: ActRelu6}
			g := convGraph(c, OpConv2D, make([]float32, s.in*s.out), make([]float32, s.out),
				[]int{1, s.hw, s.hw, s.out})
			benchKernel(b, g, s.hw*s.hw*s.in*s.out)
		})
	}
}

func BenchmarkConv2D3x3Stride2(b *testing.B) {
	c := convCase{in: []int{1, 300, 300, 3}, filter: []int{32, 3, 3, 3},
		strideH: 2, strideW: 2, dilH: 1, dilW: 1, act: ActRelu6}
	g := convGraph(c, OpConv2D, make([]float32, 32*27), make([]float32, 32), []int{1, 150, 150, 32})
	benchKernel(b, g, 150*150*32*27)
}

func BenchmarkDepthwiseConv2D(b *testing.B) {
	for _, s := range []struct{ hw, ch, stride int }{{150, 96, 2}, {38, 192, 1}, {10, 960, 1}} {
		b.Run(fmt.Sprintf("%dx%dx%d-stride%d", s.hw, s.hw, s.ch, s.stride), func(b *testing.B) {
			c := convCase{in: []int{1, s.hw, s.hw, s.ch}, filter: []int{1, 3, 3, s.ch},
				strideH: s.stride, strideW: s.stride, dilH: 1, dilW: 1, act: ActRelu6}
			out := (s.hw + s.stride - 1) / s.stride
			g := convGraph(c, OpDepthwiseConv2D, make([]float32, 9*s.ch), make([]float32, s.ch),
				[]int{1, out, out, s.ch})
			benchKernel(b, g, out*out*s.ch*9)
		})
	}
}

func BenchmarkAdd(b *testing.B) {
	for _, hw := range []int{10, 38, 75} {
		b.Run(fmt.Sprintf("%dx%dx32", hw, hw), func(b *testing.B) {
			shape := []int{1, hw, hw, 32}
			op := testOp{code: OpAdd, optionsType: optAdd, options: fbTableNode{fU8(0, 0)}}
			benchKernel(b, binaryGraph(op, shape, shape, shape), hw*hw*32)
		})
	}
}

// BenchmarkInvokeInt8 runs the bundled int8 backbone, which computes the
// same tensor as BenchmarkInvoke from a 300x300 input, on one goroutine.
func BenchmarkInvokeInt8(b *testing.B) {
	benchInvokeInt8(b, RequantizeFixedPoint)
}

// BenchmarkInvokeInt8Float is BenchmarkInvokeInt8 with RequantizeFloat,
// the arithmetic the daemon uses by default.
func BenchmarkInvokeInt8Float(b *testing.B) {
	benchInvokeInt8(b, RequantizeFloat)
}

func benchInvokeInt8(b *testing.B, mode Requantization) {
	data, err := os.ReadFile("../../models/ssd_mobilenetv2_oidv4_backbone_int8.tflite")
	if err != nil {
		b.Fatal(err)
	}
	m, err := Parse(data)
	if err != nil {
		b.Fatal(err)
	}
	in, err := NewInterpreter(m, Options{Requantization: mode})
	if err != nil {
		b.Fatal(err)
	}
	benchInvoke(b, in)
}

func benchInvoke(b *testing.B, in *Interpreter) {
	r := rand.New(rand.NewPCG(1, 2))
	if err := in.SetInput(0, randomFloats(r, 300*300*3)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := in.Invoke(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/frame")
}
