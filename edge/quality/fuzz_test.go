package quality

import (
	"encoding/binary"
	"math"
	"testing"
)

// decodePoints turns fuzz input into up to 64 two-dimensional points with
// labels in [0, 4), using 9 bytes per point.
func decodePoints(data []byte) ([][]float32, []int) {
	var points [][]float32
	var labels []int
	for len(data) >= 9 && len(points) < 64 {
		x := math.Float32frombits(binary.LittleEndian.Uint32(data))
		y := math.Float32frombits(binary.LittleEndian.Uint32(data[4:]))
		points = append(points, []float32{x, y})
		labels = append(labels, int(data[8]%4))
		data = data[9:]
	}
	return points, labels
}

// encodePoints is the inverse of decodePoints for seeding the corpus.
func encodePoints(points [][]float64, labels []int) []byte {
	var out []byte
	for i := 0; i < len(points) && i < 64; i++ {
		out = binary.LittleEndian.AppendUint32(out, math.Float32bits(float32(points[i][0])))
		out = binary.LittleEndian.AppendUint32(out, math.Float32bits(float32(points[i][1])))
		out = append(out, byte(labels[i]&3))
	}
	return out
}

func FuzzScores(f *testing.F) {
	for _, fx := range loadFixtures(f) {
		f.Add(encodePoints(fx.Points, fx.Labels))
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		points, labels := decodePoints(data)
		s, sErr := Silhouette(points, labels)
		db, dbErr := DaviesBouldin(points, labels)
		if (sErr == nil) != (dbErr == nil) {
			t.Fatalf("Silhouette error %v but DaviesBouldin error %v", sErr, dbErr)
		}
		if sErr != nil {
			return
		}

		if s.Overall < -1 || s.Overall > 1 {
			t.Errorf("Silhouette = %v, want a value in [-1, 1]", s.Overall)
		}
		if db.Overall < 0 && !math.IsNaN(db.Overall) {
			t.Errorf("DaviesBouldin = %v, want a value >= 0", db.Overall)
		}
		if nmi := NMI(labels, labels); math.Abs(nmi-1) > 1e-12 {
			t.Errorf("NMI of a labelling with itself = %v, want 1", nmi)
		}
	})
}
