package hub

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/edgecluster/edgecluster/sync/wire"
)

// SetClusterLabel stores name as the label of a device's cluster and sends
// it to the device as a label command. An empty name removes the label.
// The label stays LabelPending until the device's reply confirms it, and
// is sent again each time the device's status comes back online.
func (h *Hub) SetClusterLabel(device string, cluster int, name, author string) (Label, error) {
	if err := checkLabelName(name); err != nil {
		return Label{}, err
	}
	if cluster < 0 {
		return Label{}, fmt.Errorf("%w: cluster %d, use an id >= 0", ErrInvalidLabel, cluster)
	}
	id := h.newCommandID("label")
	l, err := h.store.updateLabel(labelKey(device, cluster, nil), func(l *Label, _ bool) bool {
		rename(l, name, author, h.now())
		l.Device, l.Cluster, l.State, l.CommandID, l.Sent, l.Error = device, cluster,
			LabelPending, id, 0, ""
		return true
	})
	if err != nil {
		return Label{}, fmt.Errorf("hub: store label of %s cluster %d: %w", device, cluster, err)
	}
	h.log.Info("label set", "device", device, "cluster", cluster, "label", name,
		"author", author, "id", id)
	h.sendLabel(l)
	return l, nil
}

// SetExemplarLabel stores name as the label of one exemplar frame of a
// device's cluster. Exemplar labels stay at the hub.
func (h *Hub) SetExemplarLabel(device string, cluster int, frame uint64, name,
	author string) (Label, error) {
	if err := checkLabelName(name); err != nil {
		return Label{}, err
	}
	l, err := h.store.updateLabel(labelKey(device, cluster, &frame), func(l *Label, _ bool) bool {
		rename(l, name, author, h.now())
		l.Device, l.Cluster, l.Exemplar, l.State = device, cluster, &frame, LabelHubOnly
		return true
	})
	if err != nil {
		return Label{}, fmt.Errorf("hub: store label of %s frame %d: %w", device, frame, err)
	}
	h.log.Info("exemplar label set", "device", device, "frame", frame, "label", name,
		"author", author)
	return l, nil
}

// rename moves the current name of l into its history and sets the new one.
func rename(l *Label, name, author string, now time.Time) {
	if l.Author != "" {
		l.History = append(l.History, LabelChange{Name: l.Name, Author: l.Author, Time: l.Time,
			State: l.State})
	}
	l.Name, l.Author, l.Time = name, author, now
}

// Labels returns the stored labels of device, or of all devices for "".
func (h *Hub) Labels(device string) ([]Label, error) { return h.store.labels(device) }

func (h *Hub) newCommandID(kind string) string {
	return fmt.Sprintf("hub-%s-%d-%d", kind, h.now().UnixMilli(), h.commandID.Add(1))
}

// sendLabel publishes the label command of l. Delivery is confirmed by
// the device's reply, not by the PUBACK, because the device connects with
// a clean session and misses commands sent while it is offline.
func (h *Hub) sendLabel(l Label) {
	payload, err := json.Marshal(struct {
		V       int    `json:"v"`
		ID      string `json:"id"`
		Cluster int    `json:"cluster"`
		Label   string `json:"label"`
	}{wire.Version, l.CommandID, l.Cluster, l.Name})
	if err != nil {
		h.log.Error("label command not encoded", "device", l.Device, "err", err)
		return
	}
	topic := wire.CommandTopic(h.opts.Prefix, l.Device, wire.CmdLabel)
	tok := h.client.Publish(topic, 1, false, payload)
	h.store.updateLabel(labelKey(l.Device, l.Cluster, nil), func(s *Label, _ bool) bool {
		s.Sent++
		return s.CommandID == l.CommandID
	})
	go func() {
		if !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
			h.log.Warn("label command not acknowledged by the broker", "device", l.Device,
				"id", l.CommandID, "err", tok.Error())
		}
	}()
}

// resendLabels sends again every pending cluster label of device, or of
// every device when device is "".
func (h *Hub) resendLabels(device string) {
	labels, err := h.store.labels(device)
	if err != nil {
		h.log.Error("pending labels not read", "device", device, "err", err)
		return
	}
	for _, l := range labels {
		if l.Exemplar == nil && l.State == LabelPending {
			h.log.Info("label sent again", "device", l.Device, "cluster", l.Cluster,
				"id", l.CommandID, "sent", l.Sent)
			h.sendLabel(l)
		}
	}
}

// applyLabelReply confirms or rejects the pending label whose command id
// the reply carries. A reply to an older command of a renamed label is
// ignored, because the newer name is still on its way.
func (h *Hub) applyLabelReply(r wire.Reply) error {
	labels, err := h.store.labels(r.Device)
	if err != nil {
		return err
	}
	for _, l := range labels {
		if l.Exemplar != nil || l.CommandID != r.ID || l.State != LabelPending {
			continue
		}
		_, err := h.store.updateLabel(labelKey(l.Device, l.Cluster, nil),
			func(s *Label, _ bool) bool {
				if s.CommandID != r.ID {
					return false // renamed since the read above
				}
				s.State, s.Error = LabelConfirmed, ""
				if !r.OK {
					s.State, s.Error = LabelRejected, r.Error
				}
				return true
			})
		h.log.Info("label reply", "device", r.Device, "cluster", l.Cluster, "ok", r.OK,
			"err", r.Error)
		return err
	}
	return nil
}
