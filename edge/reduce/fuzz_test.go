package reduce

import (
	"context"
	"encoding/binary"
	"errors"
	"math"
	"testing"
)

// FuzzTSNE decodes a row width from the first byte and little-endian
// float64 values from the rest, and checks that TSNE and PCA either reject
// the rows with an error or return finite coordinates. The seed corpus
// is in testdata/fuzz/FuzzTSNE.
func FuzzTSNE(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		x := decodeRows(data)
		if x == nil {
			return
		}
		y, err := TSNE(context.Background(), x, TSNEOptions{Iterations: 60, Perplexity: 3})
		if err != nil {
			if !errors.Is(err, ErrInvalidInput) && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("TSNE error = %v, want nil, ErrInvalidInput or ErrUnsupported", err)
			}
			return
		}
		assertFinite(t, y)

		_, proj, err := PCA(x, 1)
		if err != nil {
			t.Fatalf("PCA of rows that TSNE accepted: %v", err)
		}
		assertFinite(t, proj)
	})
}

func decodeRows(data []byte) [][]float64 {
	if len(data) < 9 {
		return nil
	}
	width := int(data[0]%4) + 1
	values := (len(data) - 1) / 8
	n := min(values/width, 64)
	if n == 0 {
		return nil
	}
	x := make([][]float64, n)
	for i := range x {
		x[i] = make([]float64, width)
		for j := range x[i] {
			at := 1 + 8*(i*width+j)
			x[i][j] = math.Float64frombits(binary.LittleEndian.Uint64(data[at:]))
		}
	}
	return x
}
