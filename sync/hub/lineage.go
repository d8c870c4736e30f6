package hub

import (
	"encoding/json"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/edgecluster/edgecluster/sync/wire"
)

// applyMerge follows a cluster_merged event: the retired cluster's label
// becomes LabelRetired with MergedInto set, and the survivor keeps its own
// label and lists the retired one in Absorbed, so a person sees both and
// decides. No label moves to another cluster on its own.
func (h *Hub) applyMerge(e wire.Event) error {
	if e.Type != wire.EventClusterMerged || e.Cluster == nil || e.Into == nil {
		return nil
	}
	retired, into := *e.Cluster, *e.Into
	var old Label
	found := false
	_, err := h.store.updateLabel(labelKey(e.Device, retired, nil), func(l *Label, ok bool) bool {
		if !ok || l.State == LabelRetired {
			return false
		}
		found, old = true, *l
		rename(l, l.Name, "merge", e.Time)
		l.State, l.MergedInto = LabelRetired, &into
		return true
	})
	if err != nil || !found || old.Name == "" {
		return err
	}
	_, err = h.store.updateLabel(labelKey(e.Device, into, nil), func(l *Label, ok bool) bool {
		if !ok {
			l.Device, l.Cluster = e.Device, into
		}
		l.Absorbed = append(l.Absorbed, AbsorbedLabel{Cluster: retired, Name: old.Name,
			Time: e.Time})
		return true
	})
	if err != nil {
		return fmt.Errorf("hub: record merge of %s cluster %d: %w", e.Device, retired, err)
	}
	h.log.Info("labelled cluster merged", "device", e.Device, "cluster", retired,
		"label", old.Name, "into", into)
	return nil
}

// retireLabels marks every label of device retired because the device
// started a new state file, whose cluster ids restart and name other
// scenes. The labels stay in the store with their history.
func (h *Hub) retireLabels(tx *bolt.Tx, device string) error {
	b := tx.Bucket(labelsBucket)
	prefix := device + "/"
	updates := map[string][]byte{}
	c := b.Cursor()
	for k, v := c.Seek([]byte(prefix)); k != nil && strings.HasPrefix(string(k), prefix); k,
		v = c.Next() {
		var l Label
		if err := json.Unmarshal(v, &l); err != nil {
			return fmt.Errorf("hub: stored label %s: %w", k, err)
		}
		if l.State == LabelRetired {
			continue
		}
		rename(&l, l.Name, "new state file", h.now())
		l.State = LabelRetired
		data, err := json.Marshal(l)
		if err != nil {
			return err
		}
		updates[string(k)] = data
	}
	for k, v := range updates {
		if err := b.Put([]byte(k), v); err != nil {
			return err
		}
	}
	if len(updates) > 0 {
		h.log.Info("labels retired, the device started a new state file", "device", device,
			"labels", len(updates))
	}
	return nil
}
