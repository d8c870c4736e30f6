package quality

// Inertia computes the k-means objective J: the sum over points of the
// squared Euclidean distance to the mean of the point's cluster.
//
// For labels produced by Lloyd's algorithm at convergence this equals
// scikit-learn's KMeans.inertia_, because converged centers are the cluster
// means. For other labellings it is the smallest J any set of centers can
// reach with those labels, so clusterers that keep other centers (such as
// decayed running means) are compared on their partitions alone.
//
// Inertia returns an error wrapping ErrInvalidInput for malformed input. A
// single cluster is valid and yields the total sum of squares.
func Inertia(points [][]float32, labels []int) (float64, error) {
	l, err := prepareAny(points, labels)
	if err != nil {
		return 0, err
	}

	means := l.means()
	var j float64
	for i, p := range l.points {
		j += squaredEuclidean(p, means[l.index[i]])
	}
	return j, nil
}

// CalinskiHarabasz computes the Calinski-Harabasz index (variance ratio
// criterion) as scikit-learn's calinski_harabasz_score does: the
// between-cluster dispersion over the within-cluster dispersion, each
// divided by its degrees of freedom, (B/(k-1)) / (W/(n-k)). Higher values
// mean denser, better separated clusters. It is 1 when W is 0.
//
// CalinskiHarabasz returns an error wrapping ErrTooFewClusters unless there
// are at least two clusters and more points than clusters, and
// ErrInvalidInput for malformed input.
func CalinskiHarabasz(points [][]float32, labels []int) (float64, error) {
	l, err := prepare(points, labels)
	if err != nil {
		return 0, err
	}
	n, k := len(l.points), len(l.labels)
	if n <= k {
		return 0, errTooFewPoints(n, k)
	}

	means := l.means()
	overall := meanOf(l.points)
	var between, within float64
	for c, members := range l.members {
		between += float64(len(members)) * squaredEuclidean(means[c], overall)
	}
	for i, p := range l.points {
		within += squaredEuclidean(p, means[l.index[i]])
	}

	if within == 0 {
		return 1, nil
	}
	return between * float64(n-k) / (within * float64(k-1)), nil
}

// means returns the mean of each dense cluster.
func (l *labelled) means() [][]float64 {
	out := make([][]float64, len(l.members))
	for c, members := range l.members {
		sub := make([][]float64, len(members))
		for m, i := range members {
			sub[m] = l.points[i]
		}
		out[c] = meanOf(sub)
	}
	return out
}

func meanOf(points [][]float64) []float64 {
	mean := make([]float64, len(points[0]))
	for _, p := range points {
		for d, v := range p {
			mean[d] += v
		}
	}
	for d := range mean {
		mean[d] /= float64(len(points))
	}
	return mean
}

// squaredEuclideanGeneric sums with four accumulators, which lets the
// processor overlap the additions.
// squaredDistancesGeneric sets out[r] to the squared Euclidean distance
// between y and row r of rows, len(y) values each.
func squaredDistancesGeneric(y, rows, out []float64) {
	d := len(y)
	for r := range out {
		out[r] = squaredEuclideanGeneric(y, rows[r*d:(r+1)*d])
	}
}

func squaredEuclideanGeneric(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(a); i += 4 {
		d0, d1 := a[i]-b[i], a[i+1]-b[i+1]
		d2, d3 := a[i+2]-b[i+2], a[i+3]-b[i+3]
		s0 += d0 * d0
		s1 += d1 * d1
		s2 += d2 * d2
		s3 += d3 * d3
	}
	for ; i < len(a); i++ {
		d := a[i] - b[i]
		s0 += d * d
	}
	return (s0 + s1) + (s2 + s3)
}
