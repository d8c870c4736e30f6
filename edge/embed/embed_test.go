package embed

import (
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/edgecluster/edgecluster/models"
)

const referenceDir = "../tflite/testdata/reference"

type referenceImage struct {
	Name      string    `json:"name"`
	PNG       string    `json:"png"`
	Embedding []float64 `json:"embedding"`
}

func loadReference(t testing.TB) []referenceImage {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(referenceDir, "manifest.json"))
	if err != nil {
		t.Fatalf("reference outputs missing (rebuild with make_reference.sh): %v", err)
	}
	var m struct {
		Images []referenceImage `json:"images"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Images) < 3 {
		t.Fatalf("manifest lists %d images, want at least 3", len(m.Images))
	}
	return m.Images
}

func loadPNG(t testing.TB, path string) image.Image {
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
	return img
}

func newDefault(t testing.TB) *Embedder {
	t.Helper()
	e, err := New(models.Default(), Options{Tensor: models.DefaultTensor, Name: models.DefaultName})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestEmbeddingMatchesReference compares whole-pipeline embeddings (decode,
// normalise, interpreter, pooling) with ones pooled from the tensors of the
// WASM TFLite runtime.
func TestEmbeddingMatchesReference(t *testing.T) {
	e := newDefault(t)
	if id := e.Identity(); id.Dims != 1280 || id.SHA256 != models.DefaultSHA256 {
		t.Fatalf("identity %+v, want 1280 dims and the bundled checksum", id)
	}
	for _, ref := range loadReference(t) {
		got, err := e.Embed(loadPNG(t, filepath.Join(referenceDir, ref.PNG)))
		if err != nil {
			t.Fatal(err)
		}
		cos, maxAbs := compare(got, ref.Embedding)
		t.Logf("%s: cosine %.8f, max abs error %.2e", ref.Name, cos, maxAbs)
		if cos < 0.9999 {
			t.Errorf("%s: cosine %.6f with the reference, want >= 0.9999", ref.Name, cos)
		}
		if maxAbs > 1e-5 {
			t.Errorf("%s: max abs error %.2e, want <= 1e-5", ref.Name, maxAbs)
		}
	}
}

func compare(got []float32, want []float64) (cos, maxAbs float64) {
	var dot, ng, nw float64
	for i, w := range want {
		g := float64(got[i])
		dot += g * w
		ng += g * g
		nw += w * w
		maxAbs = math.Max(maxAbs, math.Abs(g-w))
	}
	return dot / math.Sqrt(ng*nw), maxAbs
}

func TestCloneGivesSameEmbedding(t *testing.T) {
	e := newDefault(t)
	c, err := e.Clone()
	if err != nil {
		t.Fatal(err)
	}
	img := loadPNG(t, filepath.Join(referenceDir, loadReference(t)[0].PNG))
	a, err := e.Embed(img)
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Embed(img)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("value %d differs: %g vs %g", i, a[i], b[i])
		}
	}
}

func TestEmbedRejectsEmptyImage(t *testing.T) {
	e := newDefault(t)
	if _, err := e.Embed(image.NewRGBA(image.Rect(0, 0, 0, 0))); err != ErrEmptyImage {
		t.Errorf("err %v, want ErrEmptyImage", err)
	}
}

func TestNewRejectsUnknownTensor(t *testing.T) {
	_, err := New(models.Default(), Options{Tensor: "no/such/tensor"})
	if err == nil {
		t.Fatal("New accepted a missing feature tensor")
	}
}

func TestTriangleTaps(t *testing.T) {
	tests := []struct {
		name string
		n, m int
		want [][]float32
	}{
		{"identity", 3, 3, [][]float32{{1}, {1}, {1}}},
		// Source centres at distance 0.5 and 1.5 from the output centre weigh
		// 0.75 and 0.25 before normalising by their sum 1.75.
		{"halve", 4, 2, [][]float32{{3.0 / 7, 3.0 / 7, 1.0 / 7}, {1.0 / 7, 3.0 / 7, 3.0 / 7}}},
		{"double", 2, 4, [][]float32{{1}, {0.75, 0.25}, {0.25, 0.75}, {1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := triangleTaps(tt.n, tt.m)
			for i, w := range tt.want {
				g := trimZeros(got[i].weights)
				if len(g) != len(w) {
					t.Fatalf("output %d: weights %v, want %v", i, g, w)
				}
				for k := range w {
					if math.Abs(float64(g[k]-w[k])) > 1e-6 {
						t.Errorf("output %d: weights %v, want %v", i, g, w)
					}
				}
			}
		})
	}
}

func trimZeros(ws []float32) []float32 {
	var out []float32
	for _, w := range ws {
		if w != 0 {
			out = append(out, w)
		}
	}
	return out
}

func TestToRGBFormats(t *testing.T) {
	want := [3]uint8{200, 100, 50}
	c := color.NRGBA{want[0], want[1], want[2], 255}
	imgs := map[string]image.Image{
		"rgba":  image.NewRGBA(image.Rect(0, 0, 2, 2)),
		"nrgba": image.NewNRGBA(image.Rect(0, 0, 2, 2)),
		"cmyk":  image.NewCMYK(image.Rect(0, 0, 2, 2)),
	}
	for name, img := range imgs {
		img.(interface{ Set(int, int, color.Color) }).Set(1, 1, c)
		rgb := toRGB(img, nil)
		got := [3]uint8{rgb[9], rgb[10], rgb[11]}
		for k := range got {
			if d := int(got[k]) - int(want[k]); d < -1 || d > 1 {
				t.Errorf("%s: pixel (1,1) = %v, want %v", name, got, want)
			}
		}
	}
}

func BenchmarkEmbed(b *testing.B) {
	e := newDefault(b)
	for _, size := range []image.Point{{300, 300}, {640, 480}, {1280, 720}} {
		img := image.NewYCbCr(image.Rect(0, 0, size.X, size.Y), image.YCbCrSubsampleRatio420)
		b.Run(fmtSize(size), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := e.Embed(img); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkPreprocess(b *testing.B) {
	e := newDefault(b)
	dst := make([]float32, 300*300*3)
	for _, size := range []image.Point{{640, 480}, {1280, 720}} {
		img := image.NewYCbCr(image.Rect(0, 0, size.X, size.Y), image.YCbCrSubsampleRatio420)
		b.Run(fmtSize(size), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if err := e.Preprocess(img, dst); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func fmtSize(p image.Point) string {
	return itoa(p.X) + "x" + itoa(p.Y)
}

func itoa(v int) string { return strconv.Itoa(v) }
