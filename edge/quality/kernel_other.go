//go:build !amd64

package quality

// squaredEuclidean returns the squared Euclidean distance between a and b.
func squaredEuclidean(a, b []float64) float64 { return squaredEuclideanGeneric(a, b) }
