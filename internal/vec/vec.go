package vec

// Float64s returns a new slice with the values of v as float64.
func Float64s[S ~[]E, E ~float32 | ~float64](v S) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// Float32s returns a new slice with the values of v rounded to the nearest
// float32. Values beyond float32's range become infinities.
func Float32s[S ~[]E, E ~float32 | ~float64](v S) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}
