package hub

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/edgecluster/edgecluster/sync/hub/kv"

	"github.com/edgecluster/edgecluster/sync/wire"
)

var labelsBucket = []byte("labels")

// Label states.
const (
	// LabelPending is a cluster label sent to its device and not yet
	// confirmed by a reply. The hub sends it again whenever the device
	// comes online.
	LabelPending = "pending"

	// LabelConfirmed is a cluster label the device applied.
	LabelConfirmed = "confirmed"

	// LabelRejected is a cluster label the device rejected; Error says why.
	LabelRejected = "rejected"

	// LabelRetired is the label of a cluster that merged into another.
	// The survivor keeps its own label and lists this one in Absorbed.
	LabelRetired = "retired"

	// LabelHubOnly is an exemplar label. Devices label whole clusters, so
	// exemplar labels stay at the hub and feed label propagation.
	LabelHubOnly = "hub"
)

// ErrInvalidLabel is returned for a label the hub does not accept.
var ErrInvalidLabel = errors.New("hub: invalid label")

// Label is the hub's record of the label of one cluster or one exemplar
// of a device.
type Label struct {
	Device  string `json:"device"`
	Cluster int    `json:"cluster"`

	// Exemplar is the device frame number of a labelled exemplar; nil for
	// a cluster label.
	Exemplar *uint64 `json:"exemplar,omitempty"`

	// Name is the label; "" means the label was removed.
	Name   string    `json:"name"`
	Author string    `json:"author"`
	Time   time.Time `json:"time"`

	// State is one of the Label constants.
	State string `json:"state"`

	// CommandID is the id of the latest label command sent for it.
	CommandID string `json:"command_id,omitempty"`

	// Sent counts label commands published for the current Name.
	Sent int `json:"sent,omitempty"`

	// Error is the device's reason for a rejection.
	Error string `json:"error,omitempty"`

	// MergedInto is the cluster this one merged into, for LabelRetired.
	MergedInto *int `json:"merged_into,omitempty"`

	// Absorbed lists the labels of clusters that merged into this one.
	Absorbed []AbsorbedLabel `json:"absorbed,omitempty"`

	// History lists earlier names, oldest first.
	History []LabelChange `json:"history,omitempty"`
}

// AbsorbedLabel is the label a merged cluster had when it merged.
type AbsorbedLabel struct {
	Cluster int       `json:"cluster"`
	Name    string    `json:"name"`
	Time    time.Time `json:"time"`
}

// LabelChange is one past name of a label.
type LabelChange struct {
	Name   string    `json:"name"`
	Author string    `json:"author"`
	Time   time.Time `json:"time"`
	State  string    `json:"state"`
}

func labelKey(device string, cluster int, exemplar *uint64) []byte {
	if exemplar != nil {
		return fmt.Appendf(nil, "%s/e/%020d", device, *exemplar)
	}
	return fmt.Appendf(nil, "%s/c/%012d", device, cluster)
}

// checkLabelName rejects a name a device would reject.
func checkLabelName(name string) error {
	if len(name) > wire.MaxLabelLen {
		return fmt.Errorf("%w: %d bytes, at most %d", ErrInvalidLabel, len(name), wire.MaxLabelLen)
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("%w: %q has a control character", ErrInvalidLabel, name)
		}
	}
	return nil
}

// updateLabel applies fn to the stored label at key (a new one if absent)
// and writes it back. fn returns false to leave the store unchanged.
func (st *store) updateLabel(key []byte, fn func(l *Label, found bool) bool) (Label, error) {
	var out Label
	err := st.db.Update(func(tx kv.Tx) error {
		b := tx.Bucket(labelsBucket)
		found := false
		if v := b.Get(key); v != nil {
			found = true
			if err := json.Unmarshal(v, &out); err != nil {
				return fmt.Errorf("hub: stored label %s: %w", key, err)
			}
		}
		if !fn(&out, found) {
			return nil
		}
		v, err := json.Marshal(out)
		if err != nil {
			return err
		}
		return b.Put(key, v)
	})
	return out, err
}

// labels returns the stored labels of device, or of every device when
// device is "", ordered by device, then clusters before exemplars.
func (st *store) labels(device string) ([]Label, error) {
	out := []Label{}
	prefix := ""
	if device != "" {
		prefix = device + "/"
	}
	err := st.db.View(func(tx kv.Tx) error {
		c := tx.Bucket(labelsBucket).Cursor()
		for k, v := c.Seek([]byte(prefix)); k != nil && strings.HasPrefix(string(k), prefix); k,
			v = c.Next() {
			var l Label
			if err := json.Unmarshal(v, &l); err != nil {
				return fmt.Errorf("hub: stored label %s: %w", k, err)
			}
			out = append(out, l)
		}
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Device < out[j].Device })
	return out, err
}
