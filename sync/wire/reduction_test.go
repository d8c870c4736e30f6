package wire

import (
	"errors"
	"strings"
	"testing"
)

func TestDecodeSummaryReduction(t *testing.T) {
	basis := strings.Repeat("ab", 32)
	tests := []struct {
		name      string
		reduction *Reduction
		centroid  Vector
		wantErr   error
	}{
		{"none, model-sized centroid", nil, Vector{1, 2, 3}, nil},
		{"reduced centroid", &Reduction{"ccipca", 2, basis}, Vector{1, 2}, nil},
		{"model-sized centroid", &Reduction{"ccipca", 2, basis}, Vector{1, 2, 3}, ErrMalformed},
		{"no reduction", &Reduction{"ccipca", 3, basis}, Vector{1, 2, 3}, ErrMalformed},
		{"no method", &Reduction{"", 2, basis}, Vector{1, 2}, ErrMalformed},
		{"short basis", &Reduction{"ccipca", 2, "abcd"}, Vector{1, 2}, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sampleSummary()
			s.Reduction = tt.reduction
			s.Clusters[0].Centroid = tt.centroid
			data, err := Encode(s)
			if err != nil {
				t.Fatal(err)
			}
			out, err := DecodeSummary(data)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("err %v, want %v", err, tt.wantErr)
			}
			if err == nil && (out.Reduction == nil) != (tt.reduction == nil) {
				t.Errorf("decoded reduction %+v, want %+v", out.Reduction, tt.reduction)
			}
		})
	}
}
