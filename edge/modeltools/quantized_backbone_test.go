package modeltools

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/edgecluster/edgecluster/edge/tflite"
)

const (
	int8Backbone = "../../models/ssd_mobilenetv2_oidv4_backbone_int8.tflite"

	// minCosine is the lowest embedding cosine between the int8 and the
	// float backbone accepted on any stored photo.
	minCosine = 0.98

	// minBuiltinCosine bounds how far the embedding in the default
	// requantization mode, that of TFLite's builtin kernels, may be from
	// the recorded one, which the runtime computed in its XNNPACK delegate.
	// Every input value of this model is a rounding tie of the input
	// QUANTIZE, and the two modes round ties differently, so the layers
	// after it see different inputs. Measured: 0.9989 to 0.9996.
	minBuiltinCosine = 0.998
)

// quantizeReference is testdata/quantize_reference.json, written by
// make_quantize_reference.sh.
type quantizeReference struct {
	ModelSHA256 string `json:"model_sha256"`
	ModelBytes  int    `json:"model_bytes"`
	Loaded      bool   `json:"loaded"`
	Images      []struct {
		Name         string    `json:"name"`
		OutputSHA256 string    `json:"output_sha256"`
		Int8SHA256   string    `json:"int8_output_sha256"`
		Embedding    []float64 `json:"embedding"`
	} `json:"images"`
}

func loadModelFile(t testing.TB, path string) *tflite.Model {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := tflite.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// pooledEmbedding averages a [1, H, W, C] map over H and W and scales the
// result to unit length.
func pooledEmbedding(v []float32, channels int) []float64 {
	out := make([]float64, channels)
	for i, x := range v {
		out[i%channels] += float64(x)
	}
	var norm float64
	for _, x := range out {
		norm += x * x
	}
	for i := range out {
		out[i] /= math.Sqrt(norm)
	}
	return out
}

func cosine(a, b []float64) float64 {
	var dot, na, nb float64
	for i := range a {
		dot += a[i] * b[i]
		na += a[i] * a[i]
		nb += b[i] * b[i]
	}
	return dot / math.Sqrt(na*nb)
}

// TestQuantizedBackboneCosine checks the bundled int8 backbone against the
// float backbone it was made from, on photos that calibration did not use.
func TestQuantizedBackboneCosine(t *testing.T) {
	float, err := tflite.Parse(cutBackbone(t))
	if err != nil {
		t.Fatal(err)
	}
	quantized := loadModelFile(t, int8Backbone)
	for _, name := range []string{"coffee", "chelsea", "rocket", "dune"} {
		input := loadPNG(t, filepath.Join(referenceDir, name+".png"))
		want := pooledEmbedding(run(t, float, input, nil)[0], 1280)
		got := pooledEmbedding(run(t, quantized, input, nil)[0], 1280)
		if c := cosine(got, want); c < minCosine {
			t.Errorf("%s: cosine %.5f between int8 and float embeddings, want >= %v",
				name, c, minCosine)
		}
	}
}

func readQuantizeReference(t *testing.T) quantizeReference {
	t.Helper()
	raw, err := os.ReadFile("testdata/quantize_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref quantizeReference
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(int8Backbone)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); got != ref.ModelSHA256 || len(data) != ref.ModelBytes {
		t.Fatalf("bundled int8 model has sha256 %s, the recorded one %s; "+
			"rerun testdata/make_quantize_reference.sh", got, ref.ModelSHA256)
	}
	if !ref.Loaded || len(ref.Images) == 0 {
		t.Fatal("record says the runtime did not load the model or ran no images")
	}
	return ref
}

// finalDequantizeInput returns the INT8 tensor that the operator writing
// graph output 0 of m reads.
func finalDequantizeInput(t *testing.T, m *tflite.Model) int {
	t.Helper()
	for _, op := range m.Operators {
		if op.Outputs[0] == m.Outputs[0] && op.Code == tflite.OpDequantize {
			return op.Inputs[0]
		}
	}
	t.Fatal("graph output 0 is not written by DEQUANTIZE")
	return -1
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// TestQuantizedBackboneBitExact runs the bundled int8 file with the
// arithmetic of TFLite's XNNPACK delegate, which the reference runtime
// applies to every operator of this model. The raw INT8 output map and the
// FLOAT32 output must equal the runtime's byte for byte.
func TestQuantizedBackboneBitExact(t *testing.T) {
	ref := readQuantizeReference(t)
	m := loadModelFile(t, int8Backbone)
	outputs := []int{m.Outputs[0], finalDequantizeInput(t, m)}
	for _, img := range ref.Images {
		input := loadPNG(t, filepath.Join(referenceDir, img.Name+".png"))
		in, err := tflite.NewInterpreter(m, tflite.Options{Outputs: outputs,
			Requantization: tflite.RequantizeFloat})
		if err != nil {
			t.Fatal(err)
		}
		if err := in.SetInput(0, input); err != nil {
			t.Fatal(err)
		}
		if err := in.Invoke(); err != nil {
			t.Fatal(err)
		}
		if got := sha256Hex(in.OutputBytes(1)); got != img.Int8SHA256 {
			t.Errorf("%s: INT8 map sha256 %s, runtime's %s", img.Name, got, img.Int8SHA256)
		}
		if got := sha256Hex(in.OutputBytes(0)); got != img.OutputSHA256 {
			t.Errorf("%s: output sha256 %s, runtime's %s", img.Name, got, img.OutputSHA256)
		}
	}
}

// TestQuantizedBackboneBuiltinCosine checks that the default arithmetic,
// that of TFLite's builtin kernels, stays close to the runtime's embedding.
func TestQuantizedBackboneBuiltinCosine(t *testing.T) {
	ref := readQuantizeReference(t)
	m := loadModelFile(t, int8Backbone)
	for _, img := range ref.Images {
		input := loadPNG(t, filepath.Join(referenceDir, img.Name+".png"))
		got := pooledEmbedding(run(t, m, input, nil)[0], 1280)
		if c := cosine(got, img.Embedding); c < minBuiltinCosine {
			t.Errorf("%s: cosine %.6f with the runtime's embedding, want >= %v",
				img.Name, c, minBuiltinCosine)
		}
	}
}
