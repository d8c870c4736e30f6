package wire

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
)

func TestDecodeSummaryBounds(t *testing.T) {
	tests := []struct {
		file string
		want error
	}{
		{"ok-exemplars.json", nil},
		{"too-many-exemplars.json", ErrMalformed},
		{"nan-centroid.json", ErrMalformed},
		{"inf-centroid.json", ErrMalformed},
		{"huge-cluster-id.json", ErrMalformed},
		{"negative-cluster-id.json", ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "summaries", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			s, err := DecodeSummary(data)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			if err == nil && len(s.Clusters[0].Exemplars) != MaxClusterExemplars {
				t.Errorf("decoded %d exemplars, want %d", len(s.Clusters[0].Exemplars),
					MaxClusterExemplars)
			}
		})
	}
}

func TestCheckFinite(t *testing.T) {
	nan := float32(math.NaN())
	inf := float32(math.Inf(1))
	tests := []struct {
		name string
		v    Vector
		want bool
	}{
		{"empty", nil, true},
		{"finite", Vector{0, -1, math.MaxFloat32}, true},
		{"nan", Vector{0, nan}, false},
		{"+inf", Vector{inf}, false},
		{"-inf", Vector{1, -inf}, false},
	}
	for _, tt := range tests {
		if got := checkFinite(tt.v, "v") == nil; got != tt.want {
			t.Errorf("%s: finite = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestCheckClusterID(t *testing.T) {
	tests := []struct {
		id   int64
		want bool
	}{
		{0, true}, {1023, true}, {math.MaxUint32, true}, {-1, false}, {math.MaxUint32 + 1, false},
	}
	for _, tt := range tests {
		if int64(int(tt.id)) != tt.id {
			continue // does not fit int on this platform
		}
		if got := checkClusterID(int(tt.id), "c") == nil; got != tt.want {
			t.Errorf("checkClusterID(%d) ok = %v, want %v", tt.id, got, tt.want)
		}
	}
}
