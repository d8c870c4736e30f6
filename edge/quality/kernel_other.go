//go:build !amd64

package quality

// squaredEuclidean returns the squared Euclidean distance between a and b.
func squaredEuclidean(a, b []float64) float64 { return squaredEuclideanGeneric(a, b) }

// squaredDistances sets out[r] to the squared Euclidean distance between y
// and row r of rows, len(y) values each.
func squaredDistances(y, rows, out []float64) { squaredDistancesGeneric(y, rows, out) }
