//go:build amd64 && !purego

package tflite

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestDotRows2x4AVX2AndVNNI checks both amd64 matrix kernels against the Go
// loop on the CPU features present, because dotRows2x4 runs only one of
// them.
func TestDotRows2x4AVX2AndVNNI(t *testing.T) {
	kernels := []struct {
		name  string
		ok    bool
		apply func(a0, a1, b *int16, depth, cols int, out *int32)
	}{
		{"AVX2", useAVX2, dotRows2x4AVX2},
		{"VNNI", useVNNI, dotRows2x4VNNI},
	}
	r := rand.New(rand.NewPCG(23, 24))
	for _, k := range kernels {
		if !k.ok {
			t.Logf("%s: not supported by this CPU", k.name)
			continue
		}
		for _, depth := range []int{16, 48, 320} {
			cols := 12
			a0, a1 := randomInt16s(r, depth), randomInt16s(r, depth)
			b := randomInt16s(r, depth*cols)
			want, got := make([]int32, 2*cols), make([]int32, 2*cols)
			dotRows2x4Go(a0, a1, b, depth, cols, want)
			k.apply(&a0[0], &a1[0], &b[0], depth, cols, &got[0])
			if !slices.Equal(got, want) {
				t.Errorf("%s depth %d: got %v, want %v", k.name, depth, got, want)
			}
		}
	}
}
