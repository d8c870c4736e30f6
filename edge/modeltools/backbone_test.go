package modeltools

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/edgecluster/edgecluster/edge/tflite"
)

const (
	bundledModel   = "../../models/ssd_mobilenetv2_oidv4_fp16.tflite"
	referenceDir   = "../tflite/testdata/reference"
	backboneTensor = 213

	// maxAbsReference bounds our interpreter's error against the runtime's
	// stored outputs, as in the tflite package's reference test.
	maxAbsReference = 1e-3
)

// cutReference is testdata/cut_reference.json, written by
// make_cut_reference.sh.
type cutReference struct {
	ModelSHA256 string `json:"model_sha256"`
	ModelBytes  int    `json:"model_bytes"`
	Loaded      bool   `json:"loaded"`
	Outputs     []struct {
		Name  string `json:"name"`
		Shape []int  `json:"shape"`
	} `json:"outputs"`
	Images []struct {
		Name    string  `json:"name"`
		MaxDiff float64 `json:"max_abs_diff_vs_full_model"`
	} `json:"images"`
}

func loadBundled(t testing.TB) *tflite.Model {
	t.Helper()
	data, err := os.ReadFile(bundledModel)
	if err != nil {
		t.Fatal(err)
	}
	m, err := tflite.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func cutBackbone(t testing.TB) []byte {
	t.Helper()
	cut, err := Cut(loadBundled(t), []int{backboneTensor})
	if err != nil {
		t.Fatalf("Cut: %v", err)
	}
	data, err := tflite.Encode(cut)
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	return data
}

// TestCutBackboneOps checks the cut against the op counts of README.md in
// models/, which a separate flatbuffer walker in JavaScript produced.
func TestCutBackboneOps(t *testing.T) {
	m, err := tflite.Parse(cutBackbone(t))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := map[string]int{"CONV_2D": 35, "DEPTHWISE_CONV_2D": 17, "ADD": 10, "DEQUANTIZE": 104}
	got := map[string]int{}
	for _, op := range m.Operators {
		got[op.Name()]++
	}
	if len(got) != len(want) {
		t.Errorf("op counts %v, want %v", got, want)
	}
	for name, n := range want {
		if got[name] != n {
			t.Errorf("%s x%d, want x%d", name, got[name], n)
		}
	}
	if len(m.Inputs) != 1 || len(m.Outputs) != 1 {
		t.Fatalf("inputs %v, outputs %v, want one each", m.Inputs, m.Outputs)
	}
	if shape := m.Tensors[m.Outputs[0]].Shape; !equal(shape, []int{1, 10, 10, 1280}) {
		t.Errorf("output shape %v, want [1 10 10 1280]", shape)
	}
}

// TestCutBackboneRuntimeRecord checks that the bytes Cut writes today are
// the ones a real TFLite runtime loaded and ran when cut_reference.json was
// recorded, and what it reported then.
func TestCutBackboneRuntimeRecord(t *testing.T) {
	raw, err := os.ReadFile("testdata/cut_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref cutReference
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}

	data := cutBackbone(t)
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); got != ref.ModelSHA256 || len(data) != ref.ModelBytes {
		t.Fatalf("cut model is %d bytes with sha256 %s, the recorded one %d bytes with %s; "+
			"rerun testdata/make_cut_reference.sh", len(data), got, ref.ModelBytes,
			ref.ModelSHA256)
	}
	if !ref.Loaded {
		t.Error("record says the runtime did not load the cut model")
	}
	if len(ref.Outputs) != 1 || !equal(ref.Outputs[0].Shape, []int{1, 10, 10, 1280}) {
		t.Errorf("runtime outputs %+v, want one [1 10 10 1280]", ref.Outputs)
	}
	if len(ref.Images) == 0 {
		t.Error("record has no images")
	}
	for _, img := range ref.Images {
		if img.MaxDiff != 0 {
			t.Errorf("%s: runtime output of the cut model differs from the full model's by %g",
				img.Name, img.MaxDiff)
		}
	}
}

// TestCutBackboneMatchesFull runs our interpreter on the full model and on
// the cut, which must agree exactly, and compares both with the runtime's
// stored output.
func TestCutBackboneMatchesFull(t *testing.T) {
	cut, err := tflite.Parse(cutBackbone(t))
	if err != nil {
		t.Fatal(err)
	}
	input := loadPNG(t, filepath.Join(referenceDir, "chelsea.png"))
	full := run(t, loadBundled(t), input, []int{backboneTensor})[0]
	got := run(t, cut, input, nil)[0]
	if !equal(got, full) {
		t.Fatal("cut model output differs from the full model's tensor 213")
	}

	want := loadFloat32(t, filepath.Join(referenceDir, "chelsea.f32"))
	if len(want) != len(got) {
		t.Fatalf("%d values, reference has %d", len(got), len(want))
	}
	worst := 0.0
	for i := range got {
		worst = max(worst, math.Abs(float64(got[i]-want[i])))
	}
	if worst > maxAbsReference {
		t.Errorf("max abs error vs runtime %g, want <= %g", worst, maxAbsReference)
	}
}

// loadPNG decodes a 300x300 PNG into the model input (pixel - 127.5) / 127.5.
func loadPNG(t testing.TB, path string) []float32 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	var out []float32
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			for _, v := range []uint32{r >> 8, g >> 8, bl >> 8} {
				out = append(out, (float32(v)-127.5)/127.5)
			}
		}
	}
	return out
}

func loadFloat32(t testing.TB, path string) []float32 {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float32, len(raw)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return out
}
