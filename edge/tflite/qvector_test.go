package tflite

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

func randomInt8s(r *rand.Rand, n int) []int8 {
	v := make([]int8, n)
	for i := range v {
		v[i] = int8(r.IntN(256) - 128)
	}
	return v
}

// TestWidenInt8MatchesGo checks the widening that widenInt8 selects, with
// lengths around the 16-value step and the zero points at both ends.
func TestWidenInt8MatchesGo(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	for _, n := range []int{1, 15, 16, 17, 48, 100, 963} {
		for _, zero := range []int32{-128, -5, 0, 127} {
			src := randomInt8s(r, n)
			src[0] = -128
			want, got := make([]int16, n), make([]int16, n)
			widenInt8Go(src, want, zero)
			widenInt8(src, got, zero)
			if !slices.Equal(got, want) {
				t.Errorf("n %d, zero %d: got %v, want %v (vector %v)", n, zero, got, want,
					hasVectorKernels)
			}
		}
	}
}

// TestDepthwiseRowsMatchesGo checks the depthwise sums that depthwiseRows
// selects against depthwiseRowsGo, with channel counts that leave tails
// past the 16-channel groups, odd and even tap counts, and padding rows.
func TestDepthwiseRowsMatchesGo(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 20))
	for _, channels := range []int{7, 16, 24, 40, 96, 144} {
		for _, taps := range []int{1, 2, 9, 25} {
			t.Run(fmt.Sprintf("channels%d_taps%d", channels, taps), func(t *testing.T) {
				checkDepthwiseRows(t, r, channels, taps)
			})
		}
	}
}

func checkDepthwiseRows(t *testing.T, r *rand.Rand, channels, taps int) {
	const zero = -7
	zeroRow := make([]int8, channels)
	for i := range zeroRow {
		zeroRow[i] = zero
	}
	rows := make([][]int8, taps+taps%2)
	for i := range rows {
		rows[i] = zeroRow
		if i < taps && r.IntN(4) > 0 {
			rows[i] = randomInt8s(r, channels)
		}
	}
	weights := make([]int16, taps*channels)
	for i := range weights {
		weights[i] = int16(r.IntN(511) - 255)
	}

	want, got := make([]int32, channels), make([]int32, channels)
	depthwiseRowsGo(want, rows, weights, 0, zero)
	for i := range got {
		got[i] = r.Int32() // depthwiseRows overwrites, not adds
	}
	depthwiseRows(got, rows, weights, packDepthwiseFilter(weights, channels), zero)
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v (vector %v)", got, want, hasVectorKernels)
	}
}

// TestAddSameShapeMatchesBroadcast checks that the table and block path of
// same-shape ADD gives the values of the per-element arithmetic.
func TestAddSameShapeMatchesBroadcast(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	const n = 300
	for _, scales := range [][3]float32{{0.031, 0.017, 0.043}, {0.5, 0.5, 0.02}, {0.01, 0.2, 0.3}} {
		k := &qaddKernel{a: randomInt8s(r, n), b: randomInt8s(r, n), output: make([]int8, n),
			aZero: -3, bZero: 11}
		twiceMax := 2 * float64(max(scales[0], scales[1]))
		k.aMult, k.aExp = quantizeMultiplier(float64(scales[0]) / twiceMax)
		k.bMult, k.bExp = quantizeMultiplier(float64(scales[1]) / twiceMax)
		k.out = newRequant(1, []float32{float32(twiceMax / (1 << addLeftShift) /
			float64(scales[2]))}, quantParams{scale: 1, zero: 5}, -128, 100)
		k.walk = broadcastWalk{n: n, outShape: []int{n}, stridesA: []int{1},
			stridesB: []int{1}, index: make([]int, 1)}
		k.run()
		want := slices.Clone(k.output)

		k.sameShape = true
		k.prepareBlocks()
		clear(k.output)
		k.run()
		if !slices.Equal(k.output, want) {
			t.Errorf("scales %v: got %v, want %v", scales, k.output, want)
		}
	}
}

// TestMultiplyPanelsMatchesDotRows checks packPanels and the panel product
// that multiplyPanels selects against dotRows2x4Go on the unpacked filter,
// with filter row counts that leave a partly empty last panel.
func TestMultiplyPanelsMatchesDotRows(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	for _, rows := range []int{4, 16, 24, 40} {
		for _, depth := range []int{16, 32, 144} {
			t.Run(fmt.Sprintf("rows%d_depth%d", rows, depth), func(t *testing.T) {
				checkMultiplyPanels(t, r, rows, depth, multiplyPanels)
			})
		}
	}
}

type panelKernel func(a []int16, lda int, b []int16, depth, blocks int, out []int32, ldo int)

func checkMultiplyPanels(t *testing.T, r *rand.Rand, rows, depth int, kernel panelKernel) {
	t.Helper()
	const lda = 160 // the patch rows are lda apart, past depth
	a := randomInt16s(r, panelRows*lda)
	filter := randomInt16s(r, rows*depth)
	panels := packPanels(filter, rows, depth)
	blocks := len(panels) / (panelCols * depth)
	ldo := blocks*panelCols + 3
	got := make([]int32, panelRows*ldo)
	kernel(a, lda, panels, depth, blocks, got, ldo)

	colsPad := (rows + 3) &^ 3
	padded := padRows(filter, rows, depth, colsPad, depth)
	want := make([]int32, 2*colsPad)
	for i := 0; i < panelRows; i += 2 {
		dotRows2x4Go(a[i*lda:i*lda+depth], a[(i+1)*lda:(i+1)*lda+depth], padded, depth, colsPad,
			want)
		for j, w := range [][]int32{want[:rows], want[colsPad : colsPad+rows]} {
			if g := got[(i+j)*ldo : (i+j)*ldo+rows]; !slices.Equal(g, w) {
				t.Errorf("row %d: got %v, want %v (vector %v)", i+j, g, w, hasVectorKernels)
			}
		}
	}
}
