package labels

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// FuzzSpread builds a graph from arbitrary 2-D points and labels and
// checks that suggestions stay in range and only use given labels.
func FuzzSpread(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/fuzz-seed-*")
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		vecs, known := decodePoints(data)
		if len(vecs) < 2 {
			return
		}
		g := NewGraph(vecs, 3)
		sug := Spread(g, known, Options{Iterations: 10})
		allowed := map[string]bool{"": true, "a": true, "b": true}
		for i, s := range sug {
			if !allowed[s.Label] || s.Confidence < 0 || s.Confidence > 1+1e-9 {
				t.Fatalf("point %d: suggestion %+v", i, s)
			}
		}
		Queue(g, known, sug, 3)
	})
}

// decodePoints reads records of two little-endian float32 and one label
// byte (odd: "a", multiple of 4: "b", else none), skipping non-finite values.
func decodePoints(data []byte) ([][]float32, []string) {
	var vecs [][]float32
	var known []string
	for ; len(data) >= 9 && len(vecs) < 64; data = data[9:] {
		x := math.Float32frombits(binary.LittleEndian.Uint32(data))
		y := math.Float32frombits(binary.LittleEndian.Uint32(data[4:]))
		if !finite(x) || !finite(y) {
			continue
		}
		vecs = append(vecs, []float32{x, y})
		switch {
		case data[8]%2 == 1:
			known = append(known, "a")
		case data[8]%4 == 0:
			known = append(known, "b")
		default:
			known = append(known, "")
		}
	}
	return vecs, known
}

func finite(v float32) bool {
	return !math.IsNaN(float64(v)) && !math.IsInf(float64(v), 0) && math.Abs(float64(v)) < 1e6
}
