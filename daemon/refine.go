package daemon

import (
	"errors"
	"fmt"
	"math"

	"github.com/edgecluster/edgecluster/edge/cluster"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// Reasons a device rejects a refinement. Both wrap into the reply's error.
var (
	// errRefineSpace marks a refinement made for another state file,
	// model, cluster.k or PCA basis than the device's current clusters.
	errRefineSpace = errors.New("refinement is for another cluster space")

	// errRefineStale marks a refinement made before the device's clusters
	// were reset, or for cluster ids that no longer exist.
	errRefineStale = errors.New("refinement is stale")
)

// refineCommand applies a refine_centroids command unless a lineage event
// changed one of its clusters after the summary it was made from. It
// returns the number of clusters whose centroids moved.
func (p *pipeline) refineCommand(r *wire.Refinement) (int, error) {
	var moved []int
	err := p.checkRefineLineage(r)
	if err == nil {
		moved, err = p.applyRefinement(r, wire.RefineSourceHub)
	}
	if err != nil {
		p.log.Warn("refinement rejected", "refinement", r.ID, "source", "hub", "err", err)
	}
	return len(moved), err
}

// applyRefinement moves the centroids of r's clusters by r's shift when r
// was made for the current cluster space, records the move in the lineage
// and commits it. Both the hub's command and the idle refinement go
// through it.
func (p *pipeline) applyRefinement(r *wire.Refinement, source string) ([]int, error) {
	if err := p.checkRefinement(r); err != nil {
		return nil, err
	}
	before := centroidsByID(p.clusters.Snapshot())
	centroids := refinedCentroids(r, before)
	moved, err := p.clusters.Refine(centroids, p.clock.Now(), p.counters.Seen)
	if errors.Is(err, cluster.ErrClusterNotFound) {
		return nil, fmt.Errorf("%w: %w; refine again from the latest summary", errRefineStale,
			err)
	}
	if err != nil {
		return nil, err
	}
	shift := maxShift(before, centroids, moved)
	p.log.Info("centroids refined", "refinement", r.ID, "source", source,
		"moved", len(moved), "clusters", moved, "max_shift", shift)
	if len(moved) == 0 {
		return moved, nil
	}
	p.emit(wire.Event{Type: wire.EventRefine, Refinement: r.ID, Source: source,
		Moved: moved, MaxShift: shift})
	// A forced summary commits the move and shows the new centroids at the
	// hub without waiting for summary.every_frames more frames.
	if err := p.maybeSummarize(true); err != nil {
		return moved, fmt.Errorf("commit and publish refined centroids: %w", err)
	}
	return moved, nil
}

// checkRefinement rejects r unless it names the device's current state
// file, cluster space, model and PCA basis, and a summary no older than
// the last reset.
func (p *pipeline) checkRefinement(r *wire.Refinement) error {
	mismatch := func(what, got, want string) error {
		return fmt.Errorf("%w: %s is %q, the device has %q; refine again from the latest "+
			"summary", errRefineSpace, what, got, want)
	}
	switch {
	case r.Epoch != p.epoch:
		return mismatch("epoch", r.Epoch, p.epoch)
	case r.Space != p.space:
		return mismatch("space", r.Space, p.space)
	case r.Model.SHA256 != p.id.SHA256:
		return mismatch("model sha256", r.Model.SHA256, p.id.SHA256)
	case r.Model.Dims != p.id.Dims:
		return mismatch("model dims", fmt.Sprint(r.Model.Dims), fmt.Sprint(p.id.Dims))
	}
	if err := p.checkRefineReduction(r.Reduction); err != nil {
		return err
	}
	if r.Embedded > p.counters.Embedded {
		return fmt.Errorf("%w: made from a summary of %d embedded frames, the device counts "+
			"%d since a reset; refine again from the latest summary", errRefineStale,
			r.Embedded, p.counters.Embedded)
	}
	if p.resetSummary > 0 && r.Summary <= p.resetSummary {
		return fmt.Errorf("%w: made from summary %d, and the device reset its clusters after "+
			"summary %d; refine again from the latest summary", errRefineStale, r.Summary,
			p.resetSummary)
	}
	return nil
}

// checkRefineReduction rejects a refinement whose reduction differs from
// the device's frozen PCA basis, or any refinement while the basis learns.
func (p *pipeline) checkRefineReduction(got *wire.Reduction) error {
	want := p.pca.wireReduction()
	switch {
	case got == nil && want == nil:
		return nil
	case want != nil && (!p.pca.frozen() || want.Basis == ""):
		return fmt.Errorf("%w: the PCA basis is still learning, so no centroids exist to "+
			"refine", errRefineStale)
	case got == nil || want == nil || *got != *want:
		return fmt.Errorf("%w: reduction is %q, the device has %q; refine again from the "+
			"latest summary", errRefineSpace, got.Key(), want.Key())
	}
	return nil
}

func centroidsByID(s cluster.State) map[int][]float32 {
	out := make(map[int][]float32, len(s.Clusters))
	for _, c := range s.Clusters {
		out[c.ID] = c.Centroid
	}
	return out
}

// maxShift returns the largest Euclidean distance a moved centroid went.
func maxShift(before, after map[int][]float32, moved []int) float64 {
	var largest float64
	for _, id := range moved {
		var sum float64
		for d, v := range after[id] {
			diff := float64(v - before[id][d])
			sum += diff * diff
		}
		largest = max(largest, math.Sqrt(sum))
	}
	return largest
}
