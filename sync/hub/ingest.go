package hub

import (
	"fmt"

	"github.com/edgecluster/edgecluster/sync/wire"
)

// ingestSummary stores s unless it is older than or equal to the stored one.
// It reports whether s was stored.
func (h *Hub) ingestSummary(s wire.Summary) (bool, error) {
	stored := false
	err := h.store.update(s.Device, func(d *Device) error {
		d.LastSeen = h.now()
		if d.Summary != nil && s.Seq <= d.Summary.Seq {
			d.Duplicates++
			return nil
		}
		if d.Summary != nil && s.Seq > d.Summary.Seq+1 {
			d.Gaps++
		}
		d.Summary = &s
		stored = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("hub: store summary from %s: %w", s.Device, err)
	}
	return stored, nil
}

// ingestStatus stores the latest status of a device.
func (h *Hub) ingestStatus(st wire.Status) error {
	err := h.store.update(st.Device, func(d *Device) error {
		d.LastSeen = h.now()
		d.Status = &st
		return nil
	})
	if err != nil {
		return fmt.Errorf("hub: store status from %s: %w", st.Device, err)
	}
	return nil
}
