package daemon

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/edgecluster/edgecluster/edge/store"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// Store meta keys of the state file as a whole, shared by its cluster spaces.
const (
	// frameIDKey holds the next frame id as a decimal number. A reset or a
	// cluster space change does not lower it, so a frame id names one
	// image within an epoch, which the hub relies on to key exemplars.
	frameIDKey = "frame_id"

	// resetKey holds the resetRecord of the latest reset.
	resetKey = "reset"

	// spaceKey holds the name of the cluster space the latest run used.
	spaceKey = "space"
)

// resetRecord is the state file's record of the latest reset.
type resetRecord struct {
	// Summary is the sequence number of the latest summary made before the
	// reset: a refinement made from it or an earlier one predates the reset.
	Summary uint64 `json:"summary"`

	// Frame is the first frame id after the reset.
	Frame uint64 `json:"frame"`
}

// loadFrameID returns the next frame id: the stored one, or for a state
// file written before frame ids outlived resets, the largest frame count
// of its cluster spaces, since those counts were the frame ids then.
func loadFrameID(st *store.Store) (uint64, error) {
	next, err := storedFrameID(st)
	if err != nil {
		return 0, err
	}
	spaces, err := st.Spaces()
	if err != nil {
		return 0, err
	}
	for _, space := range spaces {
		c, err := loadCounters(st, space)
		if err != nil {
			return 0, err
		}
		next = max(next, c.Seen)
	}
	return next, nil
}

func storedFrameID(st *store.Store) (uint64, error) {
	data, err := st.Meta(frameIDKey)
	if err != nil || data == nil {
		return 0, err
	}
	next, err := strconv.ParseUint(string(data), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("stored frame id: %w", err)
	}
	return next, nil
}

func loadReset(st *store.Store) (resetRecord, error) {
	var r resetRecord
	data, err := st.Meta(resetKey)
	if err != nil || data == nil {
		return r, err
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return r, fmt.Errorf("stored reset record: %w", err)
	}
	return r, nil
}

// countSeen counts n frames read from the source, and returns the frame id
// of the first of them.
func (p *pipeline) countSeen(n uint64) uint64 {
	id := p.nextFrame
	p.counters.Seen += n
	p.nextFrame += n
	return id
}

// commitMeta returns the store meta entries that every commit writes with
// the clusters: the frame counters, the next frame id and the reset record.
func (p *pipeline) commitMeta() (map[string][]byte, error) {
	counters, err := json.Marshal(p.counters)
	if err != nil {
		return nil, err
	}
	reset, err := json.Marshal(resetRecord{Summary: p.resetSummary, Frame: p.resetFrame})
	if err != nil {
		return nil, err
	}
	return map[string][]byte{countersKey(p.space): counters, resetKey: reset,
		frameIDKey: strconv.AppendUint(nil, p.nextFrame, 10)}, nil
}

// markReset records that new clusters start at the next frame, after the
// latest summary made so far. The next commit stores the record.
func (p *pipeline) markReset() error {
	last, err := p.store.Sequence("summary")
	if err != nil {
		return fmt.Errorf("read summary sequence: %w", err)
	}
	p.resetSummary, p.resetFrame = last, p.nextFrame
	return nil
}

// resetEvent queues a reset event with the reason the clusters started
// again and the first frame id of the new clusters.
func (p *pipeline) resetEvent(reason string) {
	frame := p.resetFrame
	p.emit(wire.Event{Type: wire.EventReset, Reason: reason, Frame: &frame})
}

// checkSpaceChange reports a switch of cluster space since the latest run
// as a reset, because cluster ids of the new space name other clusters.
// A state file written before the latest space was stored counts as
// switched when it holds other spaces and the current one is new.
func (p *pipeline) checkSpaceChange() error {
	last, err := p.store.Meta(spaceKey)
	if err != nil {
		return err
	}
	switched := last != nil && string(last) != p.space
	if last == nil && !p.result.Resumed {
		spaces, err := p.store.Spaces()
		if err != nil {
			return err
		}
		switched = len(spaces) > 0
	}
	if switched {
		if err := p.markReset(); err != nil {
			return err
		}
		if err := p.commit(); err != nil {
			return err
		}
		p.log.Info("cluster space changed, reported as a reset", "space", p.space,
			"previous", string(last), "frame", p.resetFrame)
		p.resetEvent(wire.ResetSpace)
	}
	return p.store.SetMeta(spaceKey, []byte(p.space))
}
