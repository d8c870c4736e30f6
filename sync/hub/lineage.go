package hub

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/edgecluster/edgecluster/sync/hub/kv"

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
	var name string
	err := h.store.db.Update(func(tx kv.Tx) error {
		b := tx.Bucket(labelsBucket)
		old, ok, err := getLabel(b, labelKey(e.Device, retired, nil))
		if err != nil || !ok || old.State == LabelRetired {
			return err
		}
		name = old.Name
		rename(&old, old.Name, "merge", e.Time)
		old.State, old.MergedInto = LabelRetired, &into
		if err := putLabel(b, old); err != nil || name == "" {
			return err
		}
		survivor, _, err := getLabel(b, labelKey(e.Device, into, nil))
		if err != nil {
			return err
		}
		survivor.Device, survivor.Cluster = e.Device, into
		survivor.Absorbed = append(survivor.Absorbed, AbsorbedLabel{Cluster: retired,
			Name: name, Time: e.Time})
		return putLabel(b, survivor)
	})
	if err != nil {
		return fmt.Errorf("hub: record merge of %s cluster %d: %w", e.Device, retired, err)
	}
	if name != "" {
		h.log.Info("labelled cluster merged", "device", e.Device, "cluster", retired,
			"label", name, "into", into)
	}
	return nil
}

func getLabel(b kv.Bucket, key []byte) (Label, bool, error) {
	var l Label
	v := b.Get(key)
	if v == nil {
		return l, false, nil
	}
	if err := json.Unmarshal(v, &l); err != nil {
		return l, false, fmt.Errorf("hub: stored label %s: %w", key, err)
	}
	return l, true, nil
}

func putLabel(b kv.Bucket, l Label) error {
	v, err := json.Marshal(l)
	if err != nil {
		return err
	}
	return b.Put(labelKey(l.Device, l.Cluster, l.Exemplar), v)
}

// retireLabels marks every label of device retired, with reason as the
// author of the change, because the device started new clusters whose ids
// restart and name other scenes. The labels stay in the store with their
// history. It returns how many it retired.
func (h *Hub) retireLabels(tx kv.Tx, device, reason string) (int, error) {
	b := tx.Bucket(labelsBucket)
	prefix := device + "/"
	updates := map[string][]byte{}
	c := b.Cursor()
	for k, v := c.Seek([]byte(prefix)); k != nil && strings.HasPrefix(string(k), prefix); k,
		v = c.Next() {
		var l Label
		if err := json.Unmarshal(v, &l); err != nil {
			return 0, fmt.Errorf("hub: stored label %s: %w", k, err)
		}
		if l.State == LabelRetired {
			continue
		}
		rename(&l, l.Name, reason, h.now())
		l.State = LabelRetired
		data, err := json.Marshal(l)
		if err != nil {
			return 0, err
		}
		updates[string(k)] = data
	}
	for k, v := range updates {
		if err := b.Put([]byte(k), v); err != nil {
			return 0, err
		}
	}
	return len(updates), nil
}
