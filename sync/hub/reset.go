package hub

import (
	"fmt"
	"math"

	"github.com/edgecluster/edgecluster/sync/hub/kv"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// Label change authors of a retirement, which the label history shows.
const (
	retiredByEpoch = "new state file"
	retiredByReset = "device reset"
	retiredBySpace = "cluster space changed"
)

// applyReset follows a newly stored reset event of d's current epoch: the
// device's cluster ids restart, so every label of d is retired and every
// exemplar below the event's first frame moves to the exemplar archive
// under EPOCH.reset-SEQ. Exemplars of earlier clusters then no longer show
// on the page or the map, nor feed suggestions or refinements.
func (h *Hub) applyReset(tx kv.Tx, d *Device, e wire.Event) error {
	if e.Type != wire.EventReset || e.Epoch != d.Epoch {
		return nil
	}
	// A device that predates Event.Frame restarts frame ids at 0, so every
	// stored exemplar is archived, including any new one that arrived
	// before this event.
	limit := uint64(math.MaxUint64)
	if e.Frame != nil {
		limit = *e.Frame
		d.ResetFrame = max(d.ResetFrame, limit)
	}
	name := fmt.Sprintf("%s.reset-%d", d.Epoch, e.Seq)
	moved, err := archiveExemplarsBelow(tx, d.ID, name, limit)
	if err != nil {
		return err
	}
	reason := retiredByReset
	if e.Reason == wire.ResetSpace {
		reason = retiredBySpace
	}
	retired, err := h.retireLabels(tx, d.ID, reason)
	if err != nil {
		return err
	}
	h.log.Info("device reset, labels retired and exemplars archived", "device", d.ID,
		"reason", reason, "seq", e.Seq, "below_frame", limit, "labels", retired,
		"exemplars", moved, "archive", name)
	return nil
}
