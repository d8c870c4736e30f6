package cluster

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// Refine replaces the centroids of the clusters named in centroids, such
// as with the output of a DEC refinement, and records one LineageRefine
// event at time t and frame frame that lists the ids it moved. Ids, counts,
// weights, radii and exemplar lists stay as they are, so labels keep
// naming the same clusters. A centroid equal to the current one is not
// counted as moved. Refine returns the ids it moved, in ascending order.
//
// Refine checks every id and vector before it changes anything: an id the
// model does not have returns an error wrapping ErrClusterNotFound, and a
// vector of the wrong length or with a value Observe would reject returns
// ErrDimension or ErrInvalidVector.
func (m *Model) Refine(centroids map[int][]float32, t time.Time, frame uint64) ([]int, error) {
	ids := slices.Sorted(maps.Keys(centroids))
	index := make(map[int]int, len(m.clusters))
	for i, c := range m.clusters {
		index[c.ID] = i
	}
	for _, id := range ids {
		if _, ok := index[id]; !ok {
			return nil, fmt.Errorf("%w: id %d; the model has %d clusters", ErrClusterNotFound,
				id, len(m.clusters))
		}
		if err := checkVector(centroids[id], m.dims, m.cfg.Metric); err != nil {
			return nil, fmt.Errorf("centroid of cluster %d: %w", id, err)
		}
	}

	var moved []int
	for _, id := range ids {
		c := &m.clusters[index[id]]
		if slices.Equal(c.Centroid, centroids[id]) {
			continue
		}
		copy(c.Centroid, centroids[id])
		moved = append(moved, id)
	}
	if len(moved) > 0 {
		m.record(LineageEvent{Time: t, Frame: frame, Kind: LineageRefine,
			From: slices.Clone(moved), Into: moved[0]})
	}
	return moved, nil
}
