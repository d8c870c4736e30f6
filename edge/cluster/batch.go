package cluster

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
)

// Defaults that replace zero BatchConfig fields. They follow scikit-learn
// 1.2's KMeans, except NInit, which is 10 there.
const (
	DefaultNInit     = 3
	DefaultMaxIter   = 300
	DefaultTolerance = 1e-4
)

// BatchConfig sets up KMeans. The zero value is a valid configuration: each
// zero field means the default documented on it.
type BatchConfig struct {
	// K is the number of clusters. 0 means DefaultK.
	K int

	// NInit is the number of k-means++ starts. KMeans keeps the run with
	// the lowest inertia. 0 means DefaultNInit.
	NInit int

	// MaxIter bounds the Lloyd iterations of each run. 0 means
	// DefaultMaxIter.
	MaxIter int

	// Tolerance stops a run once the squared centroid shift summed over
	// clusters falls below Tolerance times the mean per-dimension variance
	// of the points, as in scikit-learn. 0 means DefaultTolerance.
	Tolerance float64

	// Seed seeds the random number generator. 0 means DefaultSeed.
	Seed int64
}

// BatchResult is the outcome of KMeans.
type BatchResult struct {
	// Centroids contains the K cluster centers. A center is the mean of the
	// points labelled with its index.
	Centroids [][]float32

	// Labels contains the index in Centroids of each point's nearest center.
	Labels []int

	// Inertia is the sum of squared Euclidean distances from each point to
	// its center.
	Inertia float64

	// Iterations is the number of Lloyd iterations of the kept run.
	Iterations int
}

func (c BatchConfig) withDefaults() (BatchConfig, error) {
	switch {
	case c.K < 0 || c.NInit < 0 || c.MaxIter < 0:
		return c, fmt.Errorf("%w: K, NInit and MaxIter are %d, %d and %d, want 0 or more",
			ErrInvalidConfig, c.K, c.NInit, c.MaxIter)
	case c.Tolerance < 0 || math.IsNaN(c.Tolerance) || math.IsInf(c.Tolerance, 0):
		return c, fmt.Errorf("%w: Tolerance is %v, want a finite value of 0 or more",
			ErrInvalidConfig, c.Tolerance)
	}
	c.K = cmpOr(c.K, DefaultK)
	c.NInit = cmpOr(c.NInit, DefaultNInit)
	c.MaxIter = cmpOr(c.MaxIter, DefaultMaxIter)
	c.Tolerance = cmpOr(c.Tolerance, DefaultTolerance)
	c.Seed = cmpOr(c.Seed, DefaultSeed)
	return c, nil
}

func cmpOr[T int | int64 | float64](v, fallback T) T {
	if v == 0 {
		return fallback
	}
	return v
}

// KMeans clusters points with Lloyd's algorithm under the Euclidean metric,
// started NInit times from greedy k-means++ seeds, and returns the run with
// the lowest inertia. It is the batch reference for the online Model.
//
// A cluster that an iteration leaves empty is re-seeded at the point
// farthest from its center within the cluster of largest inertia, which
// splits the widest cluster. With fewer than K distinct points some
// centers coincide. Assignment runs on up to GOMAXPROCS goroutines.
//
// KMeans returns an error wrapping ErrInvalidConfig for an invalid cfg,
// ErrDimension for ragged points and ErrInvalidVector for a non-finite
// element or for fewer points than K.
func KMeans(points [][]float32, cfg BatchConfig) (BatchResult, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return BatchResult{}, err
	}
	if err := checkPoints(points, cfg.K); err != nil {
		return BatchResult{}, err
	}

	rng := rand.New(rand.NewPCG(uint64(cfg.Seed), 0xbac4))
	tolerance := cfg.Tolerance * meanVariance(points)
	var best BatchResult
	for run := range cfg.NInit {
		centers := greedyPlusPlus(rng, points, cfg.K)
		result := lloydRun(points, centers, cfg.MaxIter, tolerance)
		if run == 0 || result.Inertia < best.Inertia {
			best = result
		}
	}
	return best, nil
}

func checkPoints(points [][]float32, k int) error {
	if len(points) < k || len(points) == 0 {
		return fmt.Errorf("%w: got %d points for K = %d, want at least K and at least 1",
			ErrInvalidVector, len(points), k)
	}
	for i, p := range points {
		if err := checkVector(p, len(points[0]), Euclidean); err != nil {
			return fmt.Errorf("point %d: %w", i, err)
		}
	}
	return nil
}

// meanVariance returns the variance of the points along each dimension,
// averaged over dimensions.
func meanVariance(points [][]float32) float64 {
	dims := len(points[0])
	mean := make([]float64, dims)
	for _, p := range points {
		for d, v := range p {
			mean[d] += float64(v)
		}
	}
	var total float64
	for d := range mean {
		mean[d] /= float64(len(points))
	}
	for _, p := range points {
		for d, v := range p {
			diff := float64(v) - mean[d]
			total += diff * diff
		}
	}
	return total / float64(len(points)*dims)
}

// greedyPlusPlus picks k centers with greedy k-means++, as scikit-learn
// does. Each step draws 2 + ⌊ln k⌋ candidates with probability proportional
// to their squared distance from the nearest center so far. It keeps the
// candidate that lowers the total squared distance the most.
func greedyPlusPlus(rng *rand.Rand, points [][]float32, k int) [][]float32 {
	trials := 2 + int(math.Log(float64(k)))
	first := points[rng.IntN(len(points))]
	centers := [][]float32{append([]float32(nil), first...)}
	nearest := make([]float64, len(points))
	for i, p := range points {
		nearest[i] = squaredDistance(p, first)
	}

	for len(centers) < k {
		bestSum, bestIndex := math.Inf(1), -1
		var bestNearest []float64
		for range trials {
			candidate, ok := pickWeighted(rng, nearest)
			if !ok {
				candidate = rng.IntN(len(points)) // every point is a center already
			}
			trial, sum := lowered(points, nearest, points[candidate])
			if sum < bestSum {
				bestSum, bestIndex, bestNearest = sum, candidate, trial
			}
		}
		centers = append(centers, append([]float32(nil), points[bestIndex]...))
		nearest = bestNearest
	}
	return centers
}

// lowered returns the squared distances to the nearest center once center
// is added, and their sum.
func lowered(points [][]float32, nearest []float64, center []float32) ([]float64, float64) {
	out := make([]float64, len(points))
	var sum float64
	for i, p := range points {
		out[i] = min(nearest[i], squaredDistance(p, center))
		sum += out[i]
	}
	return out, sum
}

func squaredDistance(x, c []float32) float64 {
	d := euclideanDistance(x, c)
	return d * d
}

// lloydRun iterates assignment and mean steps from centers until the
// squared centroid shift is at most tolerance or maxIter is reached.
func lloydRun(points [][]float32, centers [][]float32, maxIter int, tolerance float64) BatchResult {
	labels := make([]int, len(points))
	distances := make([]float64, len(points))
	iterations := 0
	for iterations < maxIter {
		iterations++
		assignAll(points, centers, labels, distances)
		next := batchMeans(points, labels, distances, len(centers))
		shift := centerShift(centers, next)
		centers = next
		if shift <= tolerance {
			break
		}
	}

	// A final assignment makes the labels consistent with the centers.
	assignAll(points, centers, labels, distances)
	var inertia float64
	for i, p := range points {
		inertia += squaredDistance(p, centers[labels[i]])
	}
	return BatchResult{Centroids: centers, Labels: labels, Inertia: inertia,
		Iterations: iterations}
}

// assignAll stores each point's nearest center index in labels and its
// squared float32-ranked distance in distances, on up to GOMAXPROCS
// goroutines.
func assignAll(points, centers [][]float32, labels []int, distances []float64) {
	norms := make([]float32, len(centers))
	for c, center := range centers {
		norms[c] = dot(center, center)
	}

	workers := min(runtime.GOMAXPROCS(0), max(1, len(points)/256))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(points); i += workers {
				labels[i], distances[i] = nearestCenter(points[i], centers, norms)
			}
		}()
	}
	wg.Wait()
}

// nearestCenter returns the index of the center nearest to x, preferring the
// lower index on ties, and the squared distance |x|² + |c|² - 2·x·c.
func nearestCenter(x []float32, centers [][]float32, norms []float32) (int, float64) {
	best, bestScore := 0, norms[0]-2*dot(x, centers[0])
	for c := 1; c < len(centers); c++ {
		if score := norms[c] - 2*dot(x, centers[c]); score < bestScore {
			best, bestScore = c, score
		}
	}
	return best, max(0, float64(bestScore+dot(x, x)))
}

// batchMeans returns the mean of each label's points. An empty cluster is
// re-seeded at the point farthest from its center within the cluster of
// largest inertia, and that point leaves its old cluster.
func batchMeans(points [][]float32, labels []int, distances []float64, k int) [][]float32 {
	counts := make([]int, k)
	for _, label := range labels {
		counts[label]++
	}
	for c := range k {
		if counts[c] == 0 {
			moved := farthestInWidest(labels, distances, counts)
			counts[labels[moved]]--
			labels[moved], distances[moved] = c, 0
			counts[c] = 1
		}
	}

	sums := make([][]float64, k)
	for c := range sums {
		sums[c] = make([]float64, len(points[0]))
	}
	for i, p := range points {
		for d, v := range p {
			sums[labels[i]][d] += float64(v)
		}
	}

	centers := make([][]float32, k)
	for c := range centers {
		centers[c] = make([]float32, len(points[0]))
		for d := range sums[c] {
			centers[c][d] = float32(sums[c][d] / float64(counts[c]))
		}
	}
	return centers
}

// farthestInWidest returns the point farthest from its center in the
// cluster of largest inertia that has at least two points.
func farthestInWidest(labels []int, distances []float64, counts []int) int {
	inertia := make([]float64, len(counts))
	for i, label := range labels {
		inertia[label] += distances[i]
	}
	widest := -1
	for c := range inertia {
		if counts[c] >= 2 && (widest < 0 || inertia[c] > inertia[widest]) {
			widest = c
		}
	}

	farthest := -1
	for i, label := range labels {
		if label == widest && (farthest < 0 || distances[i] > distances[farthest]) {
			farthest = i
		}
	}
	return farthest
}

// centerShift returns the squared distance between old and new centers,
// summed over clusters.
func centerShift(old, next [][]float32) float64 {
	var shift float64
	for c := range old {
		shift += squaredDistance(old[c], next[c])
	}
	return shift
}
