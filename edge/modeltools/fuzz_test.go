package modeltools

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/edgecluster/edgecluster/edge/tflite"
)

// FuzzCut checks that cutting any parsable model at any tensor either
// fails with an error or yields bytes that parse again.
func FuzzCut(f *testing.F) {
	seeds, _ := filepath.Glob("../tflite/testdata/seeds/*.tflite")
	ops, _ := filepath.Glob("../tflite/testdata/ops/*.tflite")
	for _, path := range append(seeds, ops[:min(len(ops), 8)]...) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, uint16(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, pick uint16) {
		m, err := tflite.Parse(data)
		if err != nil || len(m.Tensors) == 0 {
			return
		}
		cut, err := Cut(m, []int{int(pick) % len(m.Tensors)})
		if err != nil {
			return
		}
		out, err := tflite.Encode(cut)
		if err != nil {
			return
		}
		if _, err := tflite.Parse(out); err != nil {
			t.Fatalf("cut model does not parse: %v", err)
		}
	})
}
