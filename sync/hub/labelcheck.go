package hub

import (
	"errors"
	"fmt"
	"slices"

	"github.com/edgecluster/edgecluster/sync/wire"
)

// ErrClusterNotFound is returned for a cluster id that is not in the
// device's latest summary.
var ErrClusterNotFound = errors.New("hub: cluster not found")

// ErrExemplarNotFound is returned for an exemplar frame the hub stores no
// thumbnail for.
var ErrExemplarNotFound = errors.New("hub: exemplar not found")

// checkLabelTarget returns an error unless device is known, cluster is in
// its latest summary and exemplar, when not nil, is a stored exemplar of
// that cluster. A label for anything else could never be confirmed.
func (h *Hub) checkLabelTarget(device string, cluster int, exemplar *uint64) error {
	d, err := h.store.device(device)
	if err != nil {
		return err
	}
	if !hasCluster(d, cluster) {
		return fmt.Errorf("%w: cluster %d of device %q: use an id from the latest summary",
			ErrClusterNotFound, cluster, device)
	}
	if exemplar == nil {
		return nil
	}
	e, err := h.findExemplar(device, *exemplar)
	if err != nil {
		return err
	}
	if e.Cluster != cluster {
		return fmt.Errorf("%w: frame %d is an exemplar of cluster %d, not %d",
			ErrExemplarNotFound, *exemplar, e.Cluster, cluster)
	}
	return nil
}

func hasCluster(d Device, cluster int) bool {
	if d.Summary == nil {
		return false
	}
	return slices.ContainsFunc(d.Summary.Clusters, func(c wire.Cluster) bool {
		return c.ID == cluster
	})
}

// findExemplar returns one stored exemplar of device, or
// ErrExemplarNotFound.
func (h *Hub) findExemplar(device string, frame uint64) (storedExemplar, error) {
	e, err := h.store.exemplar(device, frame)
	if errors.Is(err, ErrNotFound) {
		return e, fmt.Errorf("%w: frame %d of device %q", ErrExemplarNotFound, frame, device)
	}
	return e, err
}
