package tflite

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var updateSeeds = flag.Bool("update-seeds", false, "rewrite testdata/seeds from the test graphs")

const seedDir = "testdata/seeds"

// seedFiles returns the fuzz seeds: crafted models and the first 4 KiB of
// the bundled model.
func seedFiles(t testing.TB) map[string][]byte {
	conv := convCase{in: []int{1, 5, 5, 2}, filter: []int{3, 3, 3, 2}, strideH: 2, strideW: 2,
		dilH: 1, dilW: 1, act: ActRelu6}
	seeds := map[string][]byte{
		"add.tflite":  addGraph().encode(),
		"conv.tflite": convGraph(conv, OpConv2D, make([]float32, 54), make([]float32, 3), []int{1, 3, 3, 3}).encode(),
		"dequantize.tflite": dequantizeAddGraph(testTensor{name: "w", typ: Float16,
			shape: []int{2}, data: []byte{0, 0x3c, 0, 0xc0}}).encode(),
	}
	qconv, err := Encode(quantConvCases()[1].build(1).model)
	if err != nil {
		t.Fatal(err)
	}
	seeds["qconv.tflite"] = qconv
	real, err := os.ReadFile(modelPath)
	if err != nil {
		t.Fatal(err)
	}
	seeds["ssd_header.bin"] = real[:4096]
	return seeds
}

func TestUpdateSeeds(t *testing.T) {
	if !*updateSeeds {
		t.Skip("run with -update-seeds to rewrite testdata/seeds")
	}
	if err := os.MkdirAll(seedDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range seedFiles(t) {
		if err := os.WriteFile(filepath.Join(seedDir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// maxFuzzMemory bounds the activation bytes of a fuzzed model.
const maxFuzzMemory = 4 << 20

func FuzzParse(f *testing.F) {
	entries, err := os.ReadDir(seedDir)
	if err != nil || len(entries) == 0 {
		f.Fatalf("no fuzz seeds in %s (%v); run go test -run TestUpdateSeeds -update-seeds", seedDir, err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(seedDir, e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("Parse error %v does not wrap ErrMalformed", err)
			}
			return
		}
		runFuzzedModel(t, m)
	})
}

// runFuzzedModel plans a parsed model and, when it is small, runs it once.
func runFuzzedModel(t *testing.T, m *Model) {
	in, err := NewInterpreter(m, Options{MaxMemory: maxFuzzMemory})
	if err != nil {
		if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrUnsupported) &&
			!errors.Is(err, ErrTooLarge) {
			t.Fatalf("NewInterpreter error %v wraps none of ErrMalformed, ErrUnsupported "+
				"and ErrTooLarge", err)
		}
		return
	}
	if total := in.allocated; total > maxFuzzMemory {
		t.Fatalf("activation buffers use %d bytes, limit %d", total, maxFuzzMemory)
	}
	if err := in.Invoke(); err != nil {
		t.Fatalf("Invoke: %v", err)
	}
}
