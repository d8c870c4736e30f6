package hub

import (
	"fmt"

	"github.com/edgecluster/edgecluster/sync/hub/kv"

	"github.com/edgecluster/edgecluster/sync/wire"
)

// ingestSummary stores s in the history unless its sequence number is
// already there, and keeps it as the latest when it is the highest. It
// requests a resync when numbers below the highest are missing, and the
// exemplars when a newly stored summary lists some the hub lacks.
func (h *Hub) ingestSummary(s wire.Summary, payload []byte) (bool, error) {
	stored := false
	var state Sequence
	err := h.store.update(s.Device, func(tx kv.Tx, d *Device) error {
		d.LastSeen = h.now()
		if err := h.newEpoch(tx, d, s.Epoch); err != nil {
			return err
		}
		var err error
		stored, err = h.store.record(tx, s.Device, wire.KindSummary, s.Seq, payload, &d.Summaries)
		if stored && (d.Summary == nil || s.Seq > d.Summary.Seq) {
			d.Summary = &s
		}
		state = d.Summaries
		return err
	})
	if err != nil {
		return false, fmt.Errorf("hub: store summary %d from %s: %w", s.Seq, s.Device, err)
	}
	h.checkGap(s.Device, wire.KindSummary, state)
	if stored {
		h.checkExemplars(s)
	}
	return stored, nil
}

// ingestEvent stores e in the history unless its sequence number is there.
func (h *Hub) ingestEvent(e wire.Event, payload []byte) error {
	var state Sequence
	err := h.store.update(e.Device, func(tx kv.Tx, d *Device) error {
		d.LastSeen = h.now()
		if err := h.newEpoch(tx, d, e.Epoch); err != nil {
			return err
		}
		stored, err := h.store.record(tx, e.Device, wire.KindEvent, e.Seq, payload, &d.Events)
		state = d.Events
		if err != nil || !stored {
			return err
		}
		return h.applyReset(tx, d, e)
	})
	if err != nil {
		return fmt.Errorf("hub: store event %d from %s: %w", e.Seq, e.Device, err)
	}
	h.checkGap(e.Device, wire.KindEvent, state)
	h.applyRefineEvent(e)
	return h.applyMerge(e)
}

// ingestStatus stores the latest status of a device. A status that names
// a summary the hub has not received starts a resync.
func (h *Hub) ingestStatus(st wire.Status) error {
	var state Sequence
	cameOnline := false
	err := h.store.update(st.Device, func(tx kv.Tx, d *Device) error {
		d.LastSeen = h.now()
		cameOnline = st.State == wire.StateOnline && (d.Status == nil ||
			d.Status.State != wire.StateOnline || d.Status.Started != st.Started)
		if err := h.newEpoch(tx, d, st.Epoch); err != nil {
			return err
		}
		// A delayed status must not replace a newer one. The last will has
		// no time because the broker sends it long after it was made, so
		// it always applies.
		if d.Status == nil || st.Time.IsZero() || !st.Time.Before(d.Status.Time) {
			d.Status = &st
		}
		state = d.Summaries
		return nil
	})
	if err != nil {
		return fmt.Errorf("hub: store status from %s: %w", st.Device, err)
	}
	if st.LastSeq > state.Max {
		state.Max = st.LastSeq
	}
	h.checkGap(st.Device, wire.KindSummary, state)
	if cameOnline {
		h.resendLabels(st.Device)
	}
	return nil
}

// ingestReply logs a command reply. A resync reply whose oldest kept
// number is above the requested one means the numbers in between are
// lost: the hub stops asking for them.
func (h *Hub) ingestReply(r wire.Reply) error {
	h.log.Info("command reply", "device", r.Device, "command", r.Command, "id", r.ID,
		"ok", r.OK, "err", r.Error, "resent", r.Resent, "oldest", r.Oldest, "moved", r.Moved)
	if r.Command == wire.CmdLabel {
		return h.applyLabelReply(r)
	}
	if r.Command == wire.CmdRefineCentroids {
		h.applyRefineReply(r)
		return nil
	}
	if r.Command != wire.CmdResync || !r.OK || (r.Kind != wire.KindSummary &&
		r.Kind != wire.KindEvent) {
		return nil
	}
	err := h.store.update(r.Device, func(tx kv.Tx, d *Device) error {
		b, err := historyOf(tx, r.Device, r.Kind)
		if err != nil {
			return err
		}
		state := &d.Summaries
		if r.Kind == wire.KindEvent {
			state = &d.Events
		}
		limit := r.Oldest
		if limit == 0 || limit > state.Max+1 {
			limit = state.Max + 1
		}
		before := state.Lost
		giveUp(b, state, limit)
		if state.Lost > before {
			h.log.Warn("messages lost, the device no longer keeps them", "device", r.Device,
				"kind", r.Kind, "lost", state.Lost-before, "next", state.Next)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("hub: apply resync reply from %s: %w", r.Device, err)
	}
	return nil
}

// newEpoch archives d's history when epoch names a new state file.
func (h *Hub) newEpoch(tx kv.Tx, d *Device, epoch string) error {
	old := d.Epoch
	switched, err := switchEpoch(tx, d, epoch)
	if switched {
		h.log.Info("device state replaced, history archived", "device", d.ID,
			"old_epoch", old, "epoch", epoch)
	}
	if err != nil || !switched {
		return err
	}
	retired, err := h.retireLabels(tx, d.ID, retiredByEpoch)
	if retired > 0 {
		h.log.Info("labels retired, the device started a new state file", "device", d.ID,
			"labels", retired)
	}
	return err
}
