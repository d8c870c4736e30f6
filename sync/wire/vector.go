package wire

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"

	"github.com/edgecluster/edgecluster/internal/half"
)

// Vector is a float32 vector that travels as base64 of little-endian IEEE
// 754 half-precision values: a 1280-d centroid takes about 3.4 kB of JSON.
// Half precision keeps about three significant digits, enough to compare
// and map centroids.
type Vector []float32

// MarshalJSON encodes v as a base64 string of float16 values.
func (v Vector) MarshalJSON() ([]byte, error) {
	buf := make([]byte, 2*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint16(buf[2*i:], half.FromFloat32(x))
	}
	return json.Marshal(base64.StdEncoding.EncodeToString(buf))
}

// UnmarshalJSON decodes a base64 string of float16 values.
func (v *Vector) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("vector: %w", err)
	}
	buf, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return fmt.Errorf("vector: %w", err)
	}
	if len(buf)%2 != 0 {
		return fmt.Errorf("vector: %d bytes is not a whole number of float16 values", len(buf))
	}
	out := make(Vector, len(buf)/2)
	for i := range out {
		out[i] = half.ToFloat32(binary.LittleEndian.Uint16(buf[2*i:]))
	}
	*v = out
	return nil
}
