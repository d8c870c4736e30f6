package cluster

import (
	"math"
	"math/rand/v2"

	"github.com/edgecluster/edgecluster/internal/vec"
	"gonum.org/v1/gonum/floats"
)

// maxLloydIterations bounds the Lloyd refinement after k-means++ seeding.
const maxLloydIterations = 20

// seed clusters the pending frames, accounts each of them to its cluster, and
// returns the assignment of the last pending frame.
//
// k-means++ picks up to K distinct starting centers, so a buffer with fewer
// than K distinct vectors yields fewer clusters. Lloyd iterations then refine
// the centers until assignments stop changing or maxLloydIterations is
// reached. A cluster that Lloyd leaves empty keeps its center and a Count of
// 0. Each cluster's weight and radius are what the running-mean update would
// give after its Count frames, with distances measured from the final
// centers.
func (m *Model) seed() Assignment {
	points := make([][]float32, len(m.pending))
	for i, p := range m.pending {
		points[i] = p.Vector
	}

	centers, labels := m.bestSeeding(points)

	m.clusters = make([]ClusterState, len(centers))
	for i, center := range centers {
		m.clusters[i] = ClusterState{ID: i, Centroid: vec.Float32s(center)}
	}
	m.nextID = len(centers)

	var d float64
	for i, p := range m.pending {
		c := &m.clusters[labels[i]]
		d = distance(m.cfg.Metric, p.Vector, c.Centroid)
		c.Weight = c.Weight*m.decay + 1
		m.noteFar(c, p.Vector, d)
		c.Radius += (spread(m.cfg.Metric, d) - c.Radius) / c.Weight
		m.account(c, p.Time, p.Frame)
	}

	m.priorRadii()

	last := m.pending[len(m.pending)-1]
	for _, c := range m.clusters {
		m.record(LineageEvent{Time: last.Time, Frame: last.Frame, Kind: LineageSeed, Into: c.ID})
	}
	m.pending = nil
	return Assignment{Cluster: labels[len(points)-1], Distance: d}
}

// bestSeeding runs greedy k-means++ followed by Lloyd SeedRestarts times and
// returns the centers and labels of the run with the lowest sum of squared
// distances, which makes a poor local optimum from one unlucky draw less
// likely.
func (m *Model) bestSeeding(points [][]float32) ([][]float64, []int) {
	rng := rand.New(rand.NewPCG(uint64(m.cfg.Seed), 0))
	var bestCenters [][]float64
	var bestLabels []int
	bestCost := math.Inf(1)
	for range m.cfg.SeedRestarts {
		centers := m.kmeansPlusPlus(rng, points)
		labels := m.lloyd(points, centers)
		centers = means(points, labels, centers)
		if cost := m.cost(points, labels, centers); cost < bestCost {
			bestCenters, bestLabels, bestCost = centers, labels, cost
		}
	}
	return bestCenters, bestLabels
}

// cost returns the sum of squared distances from points to their centers.
func (m *Model) cost(points [][]float32, labels []int, centers [][]float64) float64 {
	var sum float64
	for i, p := range points {
		d := distance(m.cfg.Metric, p, centers[labels[i]])
		sum += d * d
	}
	return sum
}

// kmeansPlusPlus picks up to K centers from points with greedy k-means++.
// The first is drawn uniformly. Each next one is the best of 2 + ⌊ln K⌋
// candidates drawn with probability proportional to their squared distance
// from the nearest center so far: the one that lowers the sum of those
// squared distances the most. It stops early when every point coincides
// with a center.
func (m *Model) kmeansPlusPlus(rng *rand.Rand, points [][]float32) [][]float64 {
	first := points[rng.IntN(len(points))]
	centers := [][]float64{vec.Float64s(first)}
	nearest := m.lowered(points, nil, centers[0])

	trials := 2 + int(math.Log(float64(m.cfg.K)))
	for len(centers) < m.cfg.K {
		var best []float64
		bestSum, bestIndex := math.Inf(1), -1
		for range trials {
			next, ok := pickWeighted(rng, nearest)
			if !ok {
				break
			}
			trial := m.lowered(points, nearest, vec.Float64s(points[next]))
			if sum := floats.Sum(trial); sum < bestSum {
				best, bestSum, bestIndex = trial, sum, next
			}
		}
		if bestIndex < 0 {
			break
		}
		centers = append(centers, vec.Float64s(points[bestIndex]))
		nearest = best
	}
	return centers
}

// lowered returns each point's squared distance to center, or to its
// nearest earlier center when nearest is not nil and that is closer.
func (m *Model) lowered(points [][]float32, nearest []float64, center []float64) []float64 {
	out := make([]float64, len(points))
	for i, p := range points {
		d := distance(m.cfg.Metric, p, center)
		out[i] = d * d
		if nearest != nil {
			out[i] = min(out[i], nearest[i])
		}
	}
	return out
}

// pickWeighted returns an index drawn with probability proportional to its
// weight, or false when every weight is 0.
func pickWeighted(rng *rand.Rand, weights []float64) (int, bool) {
	var total float64
	for _, w := range weights {
		total += w
	}
	if total == 0 {
		return 0, false
	}

	target := rng.Float64() * total
	last := -1
	var sum float64
	for i, w := range weights {
		if w == 0 {
			continue
		}
		sum += w
		last = i
		if sum > target {
			return i, true
		}
	}
	return last, true // rounding left target at or above the final sum
}

// lloyd refines centers in place and returns the final assignment of points.
func (m *Model) lloyd(points [][]float32, centers [][]float64) []int {
	labels := m.assign(points, centers)
	for range maxLloydIterations {
		copy(centers, means(points, labels, centers))
		next := m.assign(points, centers)
		if equalInts(next, labels) {
			break
		}
		labels = next
	}
	return labels
}

// assign returns the index of the nearest center for each point, preferring
// the lower index on ties.
func (m *Model) assign(points [][]float32, centers [][]float64) []int {
	labels := make([]int, len(points))
	for i, p := range points {
		best := -1.0
		for c, center := range centers {
			d := distance(m.cfg.Metric, p, center)
			if best < 0 || d < best {
				best = d
				labels[i] = c
			}
		}
	}
	return labels
}

// means returns the mean of each label's points. A label with no points keeps
// its previous center.
func means(points [][]float32, labels []int, previous [][]float64) [][]float64 {
	sums := make([][]float64, len(previous))
	counts := make([]int, len(previous))
	for i := range sums {
		sums[i] = make([]float64, len(previous[i]))
	}
	for i, p := range points {
		counts[labels[i]]++
		for d, v := range p {
			sums[labels[i]][d] += float64(v)
		}
	}

	for c := range sums {
		if counts[c] == 0 {
			copy(sums[c], previous[c])
			continue
		}
		for d := range sums[c] {
			sums[c][d] /= float64(counts[c])
		}
	}
	return sums
}

func equalInts(a, b []int) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

// priorRadii gives each seeded cluster of fewer than two frames, whose own
// radius is 0, the weighted mean radius of the others, as spawn does for a
// new cluster.
func (m *Model) priorRadii() {
	prior := m.meanRadius()
	for i := range m.clusters {
		if m.clusters[i].Count < 2 {
			m.clusters[i].Radius = prior
		}
	}
}
