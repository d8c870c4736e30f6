package modeltools

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/edgecluster/edgecluster/edge/tflite"
)

// minSizeRatio is how many times smaller than the float32 backbone the
// bundled int8 backbone must be.
const minSizeRatio = 3

// float32Backbone returns the backbone cut from the bundled fp16 model with
// its weights folded to FLOAT32 constants, encoded.
func float32Backbone(t *testing.T) []byte {
	t.Helper()
	cut, err := tflite.Parse(cutBackbone(t))
	if err != nil {
		t.Fatal(err)
	}
	folded, err := FoldDequantize(cut)
	if err != nil {
		t.Fatalf("FoldDequantize: %v", err)
	}
	data, err := tflite.Encode(folded)
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	return data
}

// TestFoldDequantizeBackbone checks that the folded backbone has only
// FLOAT32 tensors and no DEQUANTIZE, and computes the same bytes as the
// fp16 backbone it came from.
func TestFoldDequantizeBackbone(t *testing.T) {
	fp16, err := tflite.Parse(cutBackbone(t))
	if err != nil {
		t.Fatal(err)
	}
	folded, err := tflite.Parse(float32Backbone(t))
	if err != nil {
		t.Fatal(err)
	}
	for i, op := range folded.Operators {
		if op.Code == tflite.OpDequantize {
			t.Errorf("operator %d is DEQUANTIZE after folding", i)
		}
	}
	for i, info := range folded.Tensors {
		if info.Type != tflite.Float32 {
			t.Errorf("tensor %d (%s) is %s, want FLOAT32", i, info.Name, info.Type)
		}
	}
	if got, want := len(folded.Operators), len(fp16.Operators)-104; got != want {
		t.Errorf("%d operators, want %d (the fp16 backbone's less its 104 DEQUANTIZE)",
			got, want)
	}

	input := loadPNG(t, filepath.Join(referenceDir, "coffee.png"))
	want := encodeFloats(run(t, fp16, input, nil)[0])
	if got := encodeFloats(run(t, folded, input, nil)[0]); !bytes.Equal(got, want) {
		t.Error("folded backbone's output differs from the fp16 backbone's")
	}
}

// TestInt8BackboneSize checks that the bundled int8 backbone is at least
// minSizeRatio times smaller than the same backbone with FLOAT32 weights.
func TestInt8BackboneSize(t *testing.T) {
	int8File, err := os.Stat(int8Backbone)
	if err != nil {
		t.Fatal(err)
	}
	float32Size, fp16Size := len(float32Backbone(t)), len(cutBackbone(t))
	ratio := float64(float32Size) / float64(int8File.Size())
	t.Logf("int8 %d bytes, float32 %d (%.2fx), fp16 %d (%.2fx)", int8File.Size(),
		float32Size, ratio, fp16Size, float64(fp16Size)/float64(int8File.Size()))
	if ratio < minSizeRatio {
		t.Errorf("int8 backbone is %.2f times smaller than the float32 one, want >= %d",
			ratio, minSizeRatio)
	}
}

func encodeFloats(v []float32) []byte {
	out := make([]byte, 0, 4*len(v))
	for _, x := range v {
		out = binary.LittleEndian.AppendUint32(out, math.Float32bits(x))
	}
	return out
}
