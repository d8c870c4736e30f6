package tflite

import (
	"encoding/binary"
	"encoding/json"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
)

const (
	referenceDir   = "testdata/reference"
	modelPath      = "../../models/ssd_mobilenetv2_oidv4_fp16.tflite"
	backboneTensor = 213
	minCosine      = 0.9999

	// maxAbsReference bounds the max absolute error against the reference.
	// Measured errors on the four images are 1.3e-5 to 1.5e-4 for values
	// in [0, 6]. They come from float32 sums taken in a different order
	// over about 60 layers. The bound leaves 7x headroom over the largest,
	// while a wrong kernel (a missed tap, bias or clamp) shows errors of
	// order 0.1 or more.
	maxAbsReference = 1e-3
)

// referenceManifest is the part of testdata/reference/manifest.json that
// the reference test reads.
type referenceManifest struct {
	Tensor struct {
		Index int   `json:"index"`
		Shape []int `json:"shape"`
	} `json:"tensor"`
	Images []struct {
		Name   string `json:"name"`
		PNG    string `json:"png"`
		Tensor string `json:"tensor"`
	} `json:"images"`
}

func loadModel(t testing.TB) *Model {
	t.Helper()
	data, err := os.ReadFile(modelPath)
	if err != nil {
		t.Fatalf("read model: %v (the model file is part of the repository)", err)
	}
	m, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return m
}

func loadManifest(t *testing.T) referenceManifest {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(referenceDir, "manifest.json"))
	if err != nil {
		t.Fatalf("reference outputs missing: %v; regenerate them with %s/make_reference.sh",
			err, referenceDir)
	}
	var man referenceManifest
	if err := json.Unmarshal(raw, &man); err != nil {
		t.Fatalf("decode manifest.json: %v", err)
	}
	if len(man.Images) == 0 {
		t.Fatal("manifest.json lists no images")
	}
	return man
}

// loadImageInput decodes a 300x300 PNG into the normalized NHWC input
// (pixel - 127.5) / 127.5 in RGB order.
func loadImageInput(t testing.TB, path string) []float32 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return normalizeImage(t, img)
}

func normalizeImage(t testing.TB, img image.Image) []float32 {
	b := img.Bounds()
	if b.Dx() != 300 || b.Dy() != 300 {
		t.Fatalf("image is %dx%d, expected 300x300", b.Dx(), b.Dy())
	}
	out := make([]float32, 0, 300*300*3)
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

func loadFloat32File(t *testing.T, path string) []float32 {
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

// compareTensors returns the max absolute difference and the cosine
// similarity, computed in float64.
func compareTensors(got, want []float32) (maxAbs, cosine float64) {
	var dot, ng, nw float64
	for i := range got {
		g, w := float64(got[i]), float64(want[i])
		maxAbs = max(maxAbs, math.Abs(g-w))
		dot += g * w
		ng += g * g
		nw += w * w
	}
	return maxAbs, dot / math.Sqrt(ng*nw)
}

// TestReferenceOutputs compares tensor 213 with outputs of the TFLite
// runtime (WASM build 0.0.1-alpha.10 with XNNPACK) on the same images.
func TestReferenceOutputs(t *testing.T) {
	man := loadManifest(t)
	m := loadModel(t)
	in, err := NewInterpreter(m, Options{Outputs: []int{man.Tensor.Index}})
	if err != nil {
		t.Fatalf("NewInterpreter: %v", err)
	}

	for _, img := range man.Images {
		t.Run(img.Name, func(t *testing.T) {
			input := loadImageInput(t, filepath.Join(referenceDir, img.PNG))
			want := loadFloat32File(t, filepath.Join(referenceDir, img.Tensor))
			if err := in.SetInput(0, input); err != nil {
				t.Fatal(err)
			}
			if err := in.Invoke(); err != nil {
				t.Fatal(err)
			}

			got, shape := in.Output(0)
			if len(got) != len(want) {
				t.Fatalf("output %v has %d values, reference has %d", shape, len(got), len(want))
			}
			maxAbs, cosine := compareTensors(got, want)
			t.Logf("max abs error %.3g, cosine %.12f (1 - cosine = %.2g)",
				maxAbs, cosine, 1-cosine)
			if cosine < minCosine {
				t.Errorf("cosine %.9f, expected >= %v", cosine, minCosine)
			}
			if maxAbs > maxAbsReference {
				t.Errorf("max abs error %.3g, expected <= %v", maxAbs, maxAbsReference)
			}
		})
	}
}
