package tflite

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// runGraph encodes g, parses it, runs it once with the given graph inputs
// and returns the first output.
func runGraph(t *testing.T, g testGraph, inputs ...[]float32) ([]float32, []int) {
	t.Helper()
	m, err := Parse(g.encode())
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	in, err := NewInterpreter(m, Options{})
	if err != nil {
		t.Fatalf("NewInterpreter: %v", err)
	}
	for i, data := range inputs {
		if err := in.SetInput(i, data); err != nil {
			t.Fatalf("SetInput(%d): %v", i, err)
		}
	}
	if err := in.Invoke(); err != nil {
		t.Fatalf("Invoke: %v", err)
	}
	out, shape := in.Output(0)
	return slices.Clone(out), shape
}

func randomFloats(r *rand.Rand, n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = r.Float32()*2 - 1
	}
	return v
}

func product(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

func checkClose(t *testing.T, got, want []float32, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d values, expected %d", len(got), len(want))
	}
	for i := range got {
		if d := math.Abs(float64(got[i] - want[i])); d > tol*(1+math.Abs(float64(want[i]))) {
			t.Fatalf("value %d: got %v, expected %v", i, got[i], want[i])
		}
	}
}

// activationBounds is the test's own table of fused activation ranges.
func activationBounds(a Activation) (float32, float32) {
	inf := float32(math.Inf(1))
	switch a {
	case ActRelu:
		return 0, inf
	case ActRelu6:
		return 0, 6
	case ActReluN1To1:
		return -1, 1
	}
	return -inf, inf
}

// sameOrValid returns the output size and leading padding of one axis,
// following the TFLite definition of SAME and VALID.
func sameOrValid(in, k, stride, dil int, pad Padding) (int, int) {
	span := (k-1)*dil + 1
	if pad == PaddingValid {
		return int(math.Ceil(float64(in-span+1) / float64(stride))), 0
	}
	out := int(math.Ceil(float64(in) / float64(stride)))
	total := (out-1)*stride + span - in
	if total < 0 {
		total = 0
	}
	return out, total / 2
}

type convCase struct {
	name             string
	in, filter       []int // NHWC input and OHWI (conv) or 1HWC (depthwise) filter
	strideH, strideW int
	dilH, dilW       int
	pad              Padding
	act              Activation
	noBias           bool
}

// naiveConv is a direct loop over every output and filter element.
func naiveConv(c convCase, in, w, bias []float32, depthwise bool) ([]float32, []int) {
	n, h, wd, ch := c.in[0], c.in[1], c.in[2], c.in[3]
	kh, kw, oc := c.filter[1], c.filter[2], c.filter[0]
	if depthwise {
		oc = c.filter[3]
	}
	oh, pt := sameOrValid(h, kh, c.strideH, c.dilH, c.pad)
	ow, pl := sameOrValid(wd, kw, c.strideW, c.dilW, c.pad)
	lo, hi := activationBounds(c.act)
	out := make([]float32, n*oh*ow*oc)
	for b := range n {
		for y := range oh {
			for x := range ow {
				for o := range oc {
					sum := float64(bias[o])
					for i := range kh {
						for j := range kw {
							iy, ix := y*c.strideH-pt+i*c.dilH, x*c.strideW-pl+j*c.dilW
							if iy < 0 || iy >= h || ix < 0 || ix >= wd {
								continue
							}
							base := ((b*h+iy)*wd + ix) * ch
							if depthwise {
								mult := oc / ch
								sum += float64(in[base+o/mult]) * float64(w[(i*kw+j)*oc+o])
								continue
							}
							for k := range ch {
								sum += float64(in[base+k]) * float64(w[((o*kh+i)*kw+j)*ch+k])
							}
						}
					}
					out[((b*oh+y)*ow+x)*oc+o] = min(max(float32(sum), lo), hi)
				}
			}
		}
	}
	return out, []int{n, oh, ow, oc}
}

// convGraph builds a one-operator graph with input 0, filter 1, bias 2 and
// output 3.
func convGraph(c convCase, code BuiltinOperator, w, bias []float32, outShape []int) testGraph {
	biasIndex := 2
	if c.noBias {
		biasIndex = -1
	}
	op := testOp{code: code, inputs: []int{0, 1, biasIndex}, outputs: []int{3}}
	if code == OpConv2D {
		op.optionsType = optConv2D
		op.options = convOptions(c.pad, c.strideH, c.strideW, c.dilH, c.dilW, c.act)
	} else {
		op.optionsType = optDepthwise
		op.options = depthwiseOptions(c.pad, c.strideH, c.strideW, c.filter[3]/c.in[3],
			c.dilH, c.dilW, c.act)
	}
	return testGraph{
		tensors: []testTensor{
			{name: "input", shape: c.in},
			{name: "filter", shape: c.filter, data: float32Bytes(w)},
			{name: "bias", shape: []int{len(bias)}, data: float32Bytes(bias)},
			{name: "output", shape: outShape},
		},
		ops:    []testOp{op},
		inputs: []int{0}, outputs: []int{3},
	}
}

func runConvCase(t *testing.T, c convCase, code BuiltinOperator) {
	r := rand.New(rand.NewPCG(1, uint64(len(c.name))))
	depthwise := code == OpDepthwiseConv2D
	in := randomFloats(r, product(c.in))
	w := randomFloats(r, product(c.filter))
	outC := c.filter[0]
	if depthwise {
		outC = c.filter[3]
	}
	bias := randomFloats(r, outC)
	if c.noBias {
		clear(bias)
	}

	want, wantShape := naiveConv(c, in, w, bias, depthwise)
	got, shape := runGraph(t, convGraph(c, code, w, bias, wantShape), in)
	if !slices.Equal(shape, wantShape) {
		t.Fatalf("shape %v, expected %v", shape, wantShape)
	}
	// float32 sums of depth terms against a float64 reference.
	depth := c.filter[1] * c.filter[2] * c.filter[3]
	checkClose(t, got, want, 1e-6*float64(depth)+1e-6)
}

func TestConv2D(t *testing.T) {
	cases := []convCase{
		{name: "pointwise", in: []int{1, 5, 3, 7}, filter: []int{9, 1, 1, 7}, strideH: 1, strideW: 1, dilH: 1, dilW: 1},
		{name: "pointwise relu6 batch2", in: []int{2, 4, 4, 16}, filter: []int{6, 1, 1, 16}, strideH: 1, strideW: 1, dilH: 1, dilW: 1, act: ActRelu6},
		{name: "pointwise stride2", in: []int{1, 5, 5, 4}, filter: []int{3, 1, 1, 4}, strideH: 2, strideW: 2, dilH: 1, dilW: 1},
		{name: "3x3 stride2 same", in: []int{1, 9, 8, 3}, filter: []int{5, 3, 3, 3}, strideH: 2, strideW: 2, dilH: 1, dilW: 1, act: ActRelu6},
		{name: "3x3 valid dilation2", in: []int{1, 9, 9, 2}, filter: []int{4, 3, 3, 2}, strideH: 1, strideW: 1, dilH: 2, dilW: 2, pad: PaddingValid},
		{name: "5x3 stride 2x1 relu", in: []int{1, 10, 7, 3}, filter: []int{2, 5, 3, 3}, strideH: 2, strideW: 1, dilH: 1, dilW: 1, act: ActRelu},
		{name: "relu n1 to 1 no bias", in: []int{1, 6, 6, 4}, filter: []int{3, 3, 3, 4}, strideH: 1, strideW: 1, dilH: 1, dilW: 1, act: ActReluN1To1, noBias: true},
		{name: "deep patches in blocks", in: []int{1, 6, 6, 600}, filter: []int{5, 3, 3, 600}, strideH: 1, strideW: 1, dilH: 1, dilW: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { runConvCase(t, c, OpConv2D) })
	}
}

func TestDepthwiseConv2D(t *testing.T) {
	cases := []convCase{
		{name: "3x3 same", in: []int{1, 7, 6, 8}, filter: []int{1, 3, 3, 8}, strideH: 1, strideW: 1, dilH: 1, dilW: 1, act: ActRelu6},
		{name: "3x3 stride2", in: []int{2, 9, 9, 5}, filter: []int{1, 3, 3, 5}, strideH: 2, strideW: 2, dilH: 1, dilW: 1},
		{name: "multiplier 3", in: []int{1, 5, 5, 2}, filter: []int{1, 3, 3, 6}, strideH: 1, strideW: 1, dilH: 1, dilW: 1},
		{name: "dilation valid", in: []int{1, 8, 9, 3}, filter: []int{1, 3, 2, 3}, strideH: 1, strideW: 2, dilH: 2, dilW: 3, pad: PaddingValid, act: ActRelu},
		{name: "no bias", in: []int{1, 4, 4, 4}, filter: []int{1, 3, 3, 4}, strideH: 1, strideW: 1, dilH: 1, dilW: 1, noBias: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { runConvCase(t, c, OpDepthwiseConv2D) })
	}
}

// TestConv2DSamePaddingHand checks the SAME padding split on a case worked
// out by hand: a 4x4 ramp, a 3x3 filter of ones and stride 2 need one
// padding row and column, which TFLite places after the data.
func TestConv2DSamePaddingHand(t *testing.T) {
	in := make([]float32, 16)
	for i := range in {
		in[i] = float32(i + 1)
	}
	ones := []float32{1, 1, 1, 1, 1, 1, 1, 1, 1}
	c := convCase{in: []int{1, 4, 4, 1}, filter: []int{1, 3, 3, 1}, strideH: 2, strideW: 2,
		dilH: 1, dilW: 1}
	got, _ := runGraph(t, convGraph(c, OpConv2D, ones, []float32{0}, []int{1, 2, 2, 1}), in)
	want := []float32{
		1 + 2 + 3 + 5 + 6 + 7 + 9 + 10 + 11, // rows 0-2, columns 0-2
		3 + 4 + 7 + 8 + 11 + 12,             // rows 0-2, columns 2-3 and padding
		9 + 10 + 11 + 13 + 14 + 15,          // rows 2-3 and padding, columns 0-2
		11 + 12 + 15 + 16,                   // rows 2-3, columns 2-3
	}
	checkClose(t, got, want, 0)
}
