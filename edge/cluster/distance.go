package cluster

import (
	"fmt"
	"math"
)

// distance returns the distance from x to center under metric.
func distance[T float32 | float64](metric Metric, x []float32, center []T) float64 {
	if metric == Cosine {
		return cosineDistance(x, center)
	}
	return euclideanDistance(x, center)
}

// spread converts a distance d under metric into the unit of cluster radii:
// d itself under Euclidean, and under Cosine sqrt(2d), the Euclidean distance
// between the two vectors scaled to unit length. Both grow linearly with
// the offset of a vector from its centroid, so Config.Novelty means the same
// under either metric, whereas 1 - cos θ grows with its square.
func spread(metric Metric, d float64) float64 {
	if metric == Cosine {
		return math.Sqrt(2 * d)
	}
	return d
}

func euclideanDistance[T float32 | float64](x []float32, center []T) float64 {
	center = center[:len(x)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		d0 := float64(x[i]) - float64(center[i])
		d1 := float64(x[i+1]) - float64(center[i+1])
		d2 := float64(x[i+2]) - float64(center[i+2])
		d3 := float64(x[i+3]) - float64(center[i+3])
		s0 += d0 * d0
		s1 += d1 * d1
		s2 += d2 * d2
		s3 += d3 * d3
	}
	for ; i < len(x); i++ {
		d := float64(x[i]) - float64(center[i])
		s0 += d * d
	}
	return math.Sqrt((s0 + s1) + (s2 + s3))
}

// euclidean32 is euclideanDistance for float32 centers. It subtracts in
// float32, which is exact for elements within a factor of two of each other
// (Sterbenz lemma) and so returns exactly 0 for equal vectors, and sums the
// squares in float64.
func euclidean32(x, center []float32) float64 {
	center = center[:len(x)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		d0, d1 := float64(x[i]-center[i]), float64(x[i+1]-center[i+1])
		d2, d3 := float64(x[i+2]-center[i+2]), float64(x[i+3]-center[i+3])
		s0 += d0 * d0
		s1 += d1 * d1
		s2 += d2 * d2
		s3 += d3 * d3
	}
	for ; i < len(x); i++ {
		d := float64(x[i] - center[i])
		s0 += d * d
	}
	return math.Sqrt((s0 + s1) + (s2 + s3))
}

// cosineTolerance is the cosine distance below which two vectors count as
// identical. Rounding leaves about 1e-16 between equal float32 vectors, and
// the new-cluster and k-means++ rules need that to be exactly 0.
const cosineTolerance = 1e-12

// cosineDistance returns 1 - cos θ. A zero-length center, which a running
// mean of opposite vectors can produce, is treated as orthogonal to x.
func cosineDistance[T float32 | float64](x []float32, center []T) float64 {
	var dot, xx, cc float64
	for i, v := range x {
		a, b := float64(v), float64(center[i])
		dot += a * b
		xx += a * a
		cc += b * b
	}
	if xx == 0 || cc == 0 {
		return 1
	}

	d := 1 - dot/math.Sqrt(xx*cc)
	if d < cosineTolerance {
		return 0
	}
	return d
}

// checkVector returns an error unless vec has dims finite elements and, under
// the Cosine metric, a non-zero length.
func checkVector(vec []float32, dims int, metric Metric) error {
	if len(vec) != dims {
		return fmt.Errorf("%w: vector has %d elements, model has %d dimensions",
			ErrDimension, len(vec), dims)
	}

	if finite(vec) && metric != Cosine {
		return nil
	}

	nonZero := false
	for i, v := range vec {
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("%w: element %d is %v", ErrInvalidVector, i, v)
		}
		nonZero = nonZero || v != 0
	}

	if metric == Cosine && !nonZero {
		return fmt.Errorf("%w: all-zero vector has no direction for the cosine metric",
			ErrInvalidVector)
	}
	return nil
}

// Distance returns the distance from x to center under m, the distance the
// model assigns by. x and center have the same length.
func (m Metric) Distance(x, center []float32) float64 {
	return distance(m, x, center)
}
