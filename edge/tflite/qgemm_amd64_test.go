//go:build amd64 && !purego

package tflite

import (
	"math/rand/v2"
	"testing"
)

// TestMultiplyPanelsAVX2AndVNNI checks both amd64 panel kernels, because
// multiplyPanels runs only one of them.
func TestMultiplyPanelsAVX2AndVNNI(t *testing.T) {
	kernels := []struct {
		name  string
		ok    bool
		apply func(a *int16, lda int, b *int16, depth, blocks int, out *int32, ldo int)
	}{
		{"AVX2", useAVX2, multiplyPanelsAVX2},
		{"VNNI", useVNNI, multiplyPanelsVNNI},
	}
	r := rand.New(rand.NewPCG(27, 28))
	for _, k := range kernels {
		if !k.ok {
			t.Logf("%s: not supported by this CPU", k.name)
			continue
		}
		kernel := func(a []int16, lda int, b []int16, depth, blocks int, out []int32, ldo int) {
			k.apply(&a[0], lda, &b[0], depth, blocks, &out[0], ldo)
		}
		for _, depth := range []int{16, 48} {
			checkMultiplyPanels(t, r, 40, depth, kernel)
		}
	}
}
