package tflite

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestGemmPanelsMatchesGoLoops checks that gemm gives the same bits with
// the filter panels as with its Go loops alone, on shapes with row and
// column tails and an odd column count.
func TestGemmPanelsMatchesGoLoops(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	for _, s := range []struct{ rows, cols, depth int }{
		{4, 16, 1}, {9, 37, 27}, {13, 64, 96}, {5, 300, 160},
	} {
		t.Run(fmt.Sprintf("rows%d_cols%d_depth%d", s.rows, s.cols, s.depth), func(t *testing.T) {
			a, w := randomFloats(r, s.rows*s.depth), randomFloats(r, s.cols*s.depth)
			bias := randomFloats(r, s.cols)
			want := make([]float32, s.rows*s.cols)
			gemm(a, s.rows, w, nil, s.cols, s.depth, bias, want, s.cols, -2, 2)
			got := make([]float32, s.rows*s.cols)
			panels := packFloatPanelsGo(w, s.cols, s.depth)
			gemm(a, s.rows, w, panels, s.cols, s.depth, bias, got, s.cols, -2, 2)
			for i := range want {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("element %d: got %v, want %v (vector %v)", i, got[i], want[i],
						hasVectorKernels)
				}
			}
		})
	}
}

// TestMultiplyFloatPanelsMatchesGo checks the panel kernel that
// multiplyFloatPanels selects against its Go loop, bit for bit.
func TestMultiplyFloatPanelsMatchesGo(t *testing.T) {
	r := rand.New(rand.NewPCG(33, 34))
	for _, depth := range []int{1, 3, 27, 144} {
		const lda, blocks = 150, 3
		a := randomFloats(r, 4*lda)
		panels := packFloatPanelsGo(randomFloats(r, blocks*floatPanelCols*depth),
			blocks*floatPanelCols, depth)
		ldo := blocks*floatPanelCols + 1
		want, got := make([]float32, 4*ldo), make([]float32, 4*ldo)
		bias := randomFloats(r, blocks*floatPanelCols)
		bias[0] = float32(math.NaN())
		multiplyFloatPanelsGo(a, lda, panels, depth, blocks, want, ldo, bias, -1, 1.5)
		multiplyFloatPanels(a, lda, panels, depth, blocks, got, ldo, bias, -1, 1.5)
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("depth %d, element %d: got %v, want %v (vector %v)", depth, i, got[i],
					want[i], hasVectorKernels)
			}
		}
	}
}

// TestMultiplyAddMatchesGo checks the float multiply-add that multiplyAdd
// selects against its Go loop, bit for bit, with lengths around the
// 8-value step.
func TestMultiplyAddMatchesGo(t *testing.T) {
	r := rand.New(rand.NewPCG(35, 36))
	for _, n := range []int{1, 7, 8, 9, 96, 963} {
		x, y := randomFloats(r, n), randomFloats(r, n)
		want := randomFloats(r, n)
		got := slices.Clone(want)
		multiplyAddGo(want, x, y)
		multiplyAdd(got, x, y)
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("n %d, element %d: got %v, want %v (vector %v)", n, i, got[i], want[i],
					useAVX2)
			}
		}
	}
}
