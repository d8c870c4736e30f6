package modeltools

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/edgecluster/edgecluster/edge/embed"
)

// minExactCosine is the embedding cosine with the runtime's recorded
// embedding that only bit-exact int8 outputs reach: the two sides then
// differ only in the order of the float pooling sums. The fixed-point
// mode reaches at most 0.9996 on the stored photos.
const minExactCosine = 0.999999

// TestEmbedderRequantizationModes checks that the embedder's default
// requantization reproduces the runtime's embedding of the int8 backbone
// and that FixedPointRequantization selects the other arithmetic.
func TestEmbedderRequantizationModes(t *testing.T) {
	ref := readQuantizeReference(t)
	data, err := os.ReadFile(int8Backbone)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		opts      embed.Options
		wantExact bool
	}{
		{"default", embed.Options{}, true},
		{"fixed point", embed.Options{FixedPointRequantization: true}, false},
	}
	for _, tt := range tests {
		e, err := embed.New(data, tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, img := range ref.Images {
			input := loadPNG(t, filepath.Join(referenceDir, img.Name+".png"))
			vec, err := e.EmbedTensor(input)
			if err != nil {
				t.Fatal(err)
			}
			got := make([]float64, len(vec))
			for i, v := range vec {
				got[i] = float64(v)
			}
			c := cosine(got, img.Embedding)
			if exact := c >= minExactCosine; exact != tt.wantExact {
				t.Errorf("%s, %s: cosine %.7f with the runtime's embedding, "+
					"at least %v is %v, want %v", tt.name, img.Name, c, minExactCosine,
					exact, tt.wantExact)
			}
		}
	}
}
