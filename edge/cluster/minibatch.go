package cluster

import (
	"fmt"
	"runtime"
	"sync"
	"time"
)

// parallelBatch is the smallest batch whose nearest-centroid search
// ObserveBatch spreads over several goroutines.
const parallelBatch = 256

// ObserveBatch observes vecs, seen at time t in frames frames[i], as one
// mini-batch, and returns their assignments in order.
//
// Each vector is assigned to the centroid nearest to it when the batch
// starts, as in mini-batch k-means. The assigned clusters are then updated
// in order with the running-mean rule of Observe. So each
// Assignment.Distance is measured before the batch moves any centroid. The
// search runs on
// up to GOMAXPROCS goroutines for batches of parallelBatch vectors or more.
// Vectors that arrive while the model is seeding, and every vector after a
// cluster is spawned or merged within the batch, are observed one at a time
// exactly as Observe does.
//
// ObserveBatch checks every vector first. It returns an error wrapping
// ErrDimension or ErrInvalidVector, naming the first rejected vector, and
// leaves the model unchanged, when any vector is rejected. It returns an
// error wrapping ErrInvalidConfig when vecs and frames differ in length.
func (m *Model) ObserveBatch(vecs [][]float32, t time.Time, frames []uint64) (
	[]Assignment, error) {
	if len(vecs) != len(frames) {
		return nil, fmt.Errorf("%w: %d vectors but %d frame ids",
			ErrInvalidConfig, len(vecs), len(frames))
	}
	for i, vec := range vecs {
		if err := checkVector(vec, m.dims, m.cfg.Metric); err != nil {
			return nil, fmt.Errorf("vector %d of the batch: %w", i, err)
		}
	}

	out := make([]Assignment, 0, len(vecs))
	for len(out) < len(vecs) && !m.Seeded() {
		a, _ := m.Observe(vecs[len(out)], t, frames[len(out)])
		out = append(out, a)
	}

	rest := vecs[len(out):]
	indices, distances := m.nearestAll(rest)
	events := m.events
	for j, vec := range rest {
		m.observed++
		frame := frames[len(out)]
		m.reseedStarved(t, frame)
		if m.events != events {
			out = append(out, m.update(vec, t, frame))
			continue
		}
		out = append(out, m.updateNearest(indices[j], distances[j], vec, t, frame))
	}
	return out, nil
}

// nearestAll returns the nearest cluster index and distance of each vector.
func (m *Model) nearestAll(vecs [][]float32) ([]int, []float64) {
	indices := make([]int, len(vecs))
	distances := make([]float64, len(vecs))
	if len(vecs) == 0 {
		return indices, distances
	}
	m.centroidNorms() // fill the cache before the goroutines read it

	workers := 1
	if len(vecs) >= parallelBatch {
		workers = runtime.GOMAXPROCS(0)
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(vecs); i += workers {
				indices[i], distances[i] = m.nearest(vecs[i])
			}
		}()
	}
	wg.Wait()
	return indices, distances
}
