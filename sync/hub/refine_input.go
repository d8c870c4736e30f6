package hub

import (
	"fmt"

	"github.com/edgecluster/edgecluster/internal/vec"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// refineInput is the starting point of a refinement: the latest summary, its
// cluster ids and centroids in summary order, and the matching exemplar
// embeddings.
type refineInput struct {
	summary   wire.Summary
	ids       []int
	centroids [][]float64
	samples   [][]float64
}

// refineInput collects the refinement input of d, or returns an error
// wrapping ErrRefineInput that names the problem and the fix.
func (h *Hub) refineInput(d Device) (refineInput, error) {
	s := d.Summary
	if s == nil {
		return refineInput{}, fmt.Errorf("%w: device %q has sent no summary yet; wait "+
			"for one", ErrRefineInput, d.ID)
	}
	if d.Status != nil && d.Status.State == wire.StateOffline {
		// The device connects with a clean session, so it would never
		// receive the command.
		return refineInput{}, fmt.Errorf("%w: device %q is offline and would miss the "+
			"command; refine once it is online", ErrRefineInput, d.ID)
	}
	if err := checkRefineSummary(d.ID, *s); err != nil {
		return refineInput{}, err
	}
	in := refineInput{summary: *s}
	for _, c := range s.Clusters {
		in.ids = append(in.ids, c.ID)
		in.centroids = append(in.centroids, vec.Float64s(c.Centroid))
	}
	stored, err := h.store.exemplars(d.ID)
	if err != nil {
		return refineInput{}, err
	}
	in.samples = matchingExemplars(*s, stored)
	need := MinRefineExemplars * len(in.ids)
	if len(in.samples) < need {
		return refineInput{}, fmt.Errorf("%w: device %q: %d stored exemplars match summary "+
			"%d, and %d clusters need at least %d; wait for more exemplars or set a larger "+
			"exemplars.per_cluster on the device", ErrRefineInput, d.ID, len(in.samples),
			s.Seq, len(in.ids), need)
	}
	return in, nil
}

// checkRefineSummary rejects a summary that a refinement cannot start from.
func checkRefineSummary(device string, s wire.Summary) error {
	switch {
	case s.Space == "":
		return fmt.Errorf("%w: device %q sends no cluster space name in its summaries; "+
			"update edgecluster on the device", ErrRefineInput, device)
	case s.Reduction != nil:
		return fmt.Errorf("%w: device %q clusters in the reduced space %s, but the hub "+
			"stores exemplar embeddings unreduced; use the device's idle refinement "+
			"(refine.idle) or set cluster.pca_dims = 0", ErrRefineInput, device,
			s.Reduction.Key())
	case len(s.Clusters) < 2 || len(s.Clusters) > MaxRefineClusters:
		return fmt.Errorf("%w: device %q has %d clusters, refinement takes 2 to %d",
			ErrRefineInput, device, len(s.Clusters), MaxRefineClusters)
	case s.Model.Dims > MaxRefineDims:
		return fmt.Errorf("%w: device %q centroids have %d dimensions, refinement takes at "+
			"most %d; set cluster.pca_dims on the device and refine there", ErrRefineInput,
			device, s.Model.Dims, MaxRefineDims)
	}
	for _, c := range s.Clusters {
		if len(c.Centroid) != s.Model.Dims {
			return fmt.Errorf("%w: device %q summary %d cluster %d has %d centroid values, "+
				"the model has %d; wait for the next summary", ErrRefineInput, device, s.Seq,
				c.ID, len(c.Centroid), s.Model.Dims)
		}
	}
	return nil
}

// matchingExemplars returns the embeddings of the stored exemplars of the
// summary's epoch, model and clusters, the latest MaxRefineExemplars of
// them.
func matchingExemplars(s wire.Summary, stored []storedExemplar) [][]float64 {
	known := make(map[int]bool, len(s.Clusters))
	for _, c := range s.Clusters {
		known[c.ID] = true
	}
	var out [][]float64
	for _, e := range stored {
		if e.Epoch == s.Epoch && e.Model == s.Model.SHA256 && known[e.Cluster] &&
			len(e.Vector) == s.Model.Dims {
			out = append(out, vec.Float64s(e.Vector))
		}
	}
	if len(out) > MaxRefineExemplars {
		out = out[len(out)-MaxRefineExemplars:]
	}
	return out
}
