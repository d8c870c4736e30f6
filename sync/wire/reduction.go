package wire

import (
	"encoding/hex"
	"fmt"
)

// Reduction names the dimension reduction a device applies to its
// embeddings before clustering. The centroids of a summary with a
// Reduction are in the reduced space, Dims values each, and compare only
// with centroids reduced by the same Basis, because every device learns
// its own basis.
type Reduction struct {
	// Method is the algorithm, "ccipca" for incremental PCA.
	Method string `json:"method"`

	// Dims is the number of components, the length of each centroid.
	Dims int `json:"dims"`

	// Basis is the hex SHA-256 of the device's frozen basis as stored, so
	// summaries with equal Basis values share one space.
	Basis string `json:"basis"`
}

// Key returns a short name of the reduced space, for grouping centroids.
func (r *Reduction) Key() string {
	if r == nil {
		return ""
	}
	return fmt.Sprintf("%s-%d (%.12s)", r.Method, r.Dims, r.Basis)
}

// centroidDims returns the length the centroids of s must have.
func centroidDims(s Summary) int {
	if s.Reduction != nil {
		return s.Reduction.Dims
	}
	return s.Model.Dims
}

func checkReduction(s Summary) error {
	r := s.Reduction
	if r == nil {
		return nil
	}
	if r.Method == "" || r.Dims < 1 || (s.Model.Dims > 0 && r.Dims >= s.Model.Dims) {
		return fmt.Errorf("%w: reduction %q to %d dimensions of a %d-dimension model",
			ErrMalformed, r.Method, r.Dims, s.Model.Dims)
	}
	if raw, err := hex.DecodeString(r.Basis); err != nil || len(raw) != 32 {
		return fmt.Errorf("%w: reduction basis %q is not a hex SHA-256", ErrMalformed, r.Basis)
	}
	return nil
}
