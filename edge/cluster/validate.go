package cluster

import (
	"fmt"
	"math"
)

// Validate checks that s is internally consistent, independent of any Config.
// It returns an error wrapping ErrUnsupportedVersion or ErrInvalidState.
func (s State) Validate() error {
	if s.Version < 1 || s.Version > StateVersion {
		return fmt.Errorf("%w: state version is %d, this package reads versions 1 to %d",
			ErrUnsupportedVersion, s.Version, StateVersion)
	}
	if s.Dims <= 0 {
		return fmt.Errorf("%w: Dims is %d, want 1 or more", ErrInvalidState, s.Dims)
	}
	if s.Metric != Euclidean && s.Metric != Cosine {
		return fmt.Errorf("%w: unknown metric %v", ErrInvalidState, s.Metric)
	}
	if len(s.Pending) > 0 && len(s.Clusters) > 0 {
		return fmt.Errorf("%w: state has both %d pending frames and %d clusters",
			ErrInvalidState, len(s.Pending), len(s.Clusters))
	}

	if err := s.validatePending(); err != nil {
		return err
	}
	if err := s.validateClusters(); err != nil {
		return err
	}
	if s.Version == 1 {
		return s.validateVersion1()
	}
	return s.validateLineage()
}

func (s State) validatePending() error {
	for i, p := range s.Pending {
		if err := checkVector(p.Vector, s.Dims, s.Metric); err != nil {
			return fmt.Errorf("%w: pending frame %d: %w", ErrInvalidState, i, err)
		}
	}
	return nil
}

func (s State) validateClusters() error {
	total := uint64(len(s.Pending))
	for i, c := range s.Clusters {
		if err := s.validateID(i); err != nil {
			return err
		}
		if err := c.validate(s.Dims); err != nil {
			return err
		}
		if c.Joined > s.Observed {
			return fmt.Errorf("%w: cluster %d joined at frame count %d, after Observed %d",
				ErrInvalidState, c.ID, c.Joined, s.Observed)
		}
		total += c.Count
	}

	if total != s.Observed {
		return fmt.Errorf("%w: Observed is %d but clusters and pending frames account for %d",
			ErrInvalidState, s.Observed, total)
	}
	return nil
}

// validateID checks the id of the cluster at index i: equal to i in version
// 1, and otherwise above the previous id and below NextID.
func (s State) validateID(i int) error {
	id := s.Clusters[i].ID
	switch {
	case s.Version == 1 && id != i:
		return fmt.Errorf("%w: cluster at index %d has ID %d", ErrInvalidState, i, id)
	case s.Version == 1:
		return nil
	case id < 0 || id >= s.NextID:
		return fmt.Errorf("%w: cluster at index %d has ID %d, want 0 to NextID-1 = %d",
			ErrInvalidState, i, id, s.NextID-1)
	case i > 0 && id <= s.Clusters[i-1].ID:
		return fmt.Errorf("%w: cluster at index %d has ID %d, not above the previous ID %d",
			ErrInvalidState, i, id, s.Clusters[i-1].ID)
	}
	return nil
}

func (c ClusterState) validate(dims int) error {
	if len(c.Centroid) != dims {
		return fmt.Errorf("%w: cluster %d centroid has %d elements, state has %d dimensions",
			ErrInvalidState, c.ID, len(c.Centroid), dims)
	}
	if err := c.checkFinite("centroid", c.Centroid); err != nil {
		return err
	}
	if !finiteNonNegative(c.Weight) {
		return fmt.Errorf("%w: cluster %d weight is %v", ErrInvalidState, c.ID, c.Weight)
	}
	if !finiteNonNegative(c.Radius) {
		return fmt.Errorf("%w: cluster %d radius is %v", ErrInvalidState, c.ID, c.Radius)
	}
	return c.validateFar(dims)
}

func (c ClusterState) validateFar(dims int) error {
	if len(c.Far) != 0 && len(c.Far) != dims {
		return fmt.Errorf("%w: cluster %d far vector has %d elements, state has %d dimensions",
			ErrInvalidState, c.ID, len(c.Far), dims)
	}
	if err := c.checkFinite("far vector", c.Far); err != nil {
		return err
	}
	if !finiteNonNegative(c.FarDistance) {
		return fmt.Errorf("%w: cluster %d far distance is %v", ErrInvalidState, c.ID,
			c.FarDistance)
	}
	return nil
}

// checkFinite rejects a NaN or infinite element of the cluster's vector v,
// named name in the error.
func (c ClusterState) checkFinite(name string, v []float32) error {
	for j, x := range v {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return fmt.Errorf("%w: cluster %d %s element %d is %v",
				ErrInvalidState, c.ID, name, j, x)
		}
	}
	return nil
}

func finiteNonNegative(x float64) bool {
	return x >= 0 && !math.IsInf(x, 1)
}

// validateVersion1 rejects version 2 fields in a version 1 state.
func (s State) validateVersion1() error {
	if s.NextID != 0 || len(s.Lineage) > 0 {
		return fmt.Errorf("%w: version 1 state has NextID %d and %d lineage events, want none",
			ErrInvalidState, s.NextID, len(s.Lineage))
	}
	for _, c := range s.Clusters {
		if c.Radius != 0 {
			return fmt.Errorf("%w: version 1 state has radius %v for cluster %d, want 0",
				ErrInvalidState, c.Radius, c.ID)
		}
	}
	return nil
}

func (s State) validateLineage() error {
	switch {
	case len(s.Clusters) == 0 && (s.NextID != 0 || len(s.Lineage) > 0):
		return fmt.Errorf("%w: unseeded state has NextID %d and %d lineage events, want none",
			ErrInvalidState, s.NextID, len(s.Lineage))
	case len(s.Lineage) > MaxLineage:
		return fmt.Errorf("%w: state has %d lineage events, want at most %d",
			ErrInvalidState, len(s.Lineage), MaxLineage)
	}
	for i, e := range s.Lineage {
		if err := e.validate(s.NextID); err != nil {
			return fmt.Errorf("%w: lineage event %d: %w", ErrInvalidState, i, err)
		}
	}
	return nil
}

// validate checks e's kind, the ids it names, and the shape of From.
func (e LineageEvent) validate(nextID int) error {
	for _, id := range append([]int{e.Into}, e.From...) {
		if id < 0 || id >= nextID {
			return fmt.Errorf("id %d is outside 0 to NextID-1 = %d", id, nextID-1)
		}
	}

	switch e.Kind {
	case LineageSeed, LineageSpawn:
		if len(e.From) != 0 {
			return fmt.Errorf("%s event has From %v, want none", e.Kind, e.From)
		}
	case LineageSplit:
		if len(e.From) != 1 || e.From[0] == e.Into {
			return fmt.Errorf("split event has From %v and Into %d, want [split id], "+
				"another id", e.From, e.Into)
		}
	case LineageRefine:
		if len(e.From) == 0 || e.From[0] != e.Into || !ascending(e.From) {
			return fmt.Errorf("refine event has From %v and Into %d, want ascending ids "+
				"starting with Into", e.From, e.Into)
		}
	case LineageMerge:
		if len(e.From) != 2 || e.From[0] != e.Into || e.From[1] == e.Into {
			return fmt.Errorf("merge event has From %v and Into %d, want [Into, other id]",
				e.From, e.Into)
		}
	default:
		return fmt.Errorf("unknown kind %q", e.Kind)
	}
	return nil
}

// ascending reports whether ids rise strictly.
func ascending(ids []int) bool {
	for i := 1; i < len(ids); i++ {
		if ids[i] <= ids[i-1] {
			return false
		}
	}
	return true
}
