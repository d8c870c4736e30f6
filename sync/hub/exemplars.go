package hub

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/edgecluster/edgecluster/sync/hub/kv"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// ingestExemplars stores the thumbnails and embeddings of an exemplars
// message.
func (h *Hub) ingestExemplars(m wire.Exemplars) error {
	if err := h.store.putExemplars(m); err != nil {
		return err
	}
	h.log.Debug("exemplars stored", "device", m.Device, "seq", m.Seq, "count", len(m.Items))
	return nil
}

// serveExemplarJPEG serves GET /api/v1/devices/{id}/exemplar/{frame}.jpg.
// The device id must be valid and the frame a decimal number, so the path
// cannot name anything but a stored exemplar.
func (h *Hub) serveExemplarJPEG(w http.ResponseWriter, r *http.Request) {
	device := r.PathValue("id")
	name, ok := strings.CutSuffix(r.PathValue("file"), ".jpg")
	frame, err := strconv.ParseUint(name, 10, 64)
	if !ok || err != nil || !wire.ValidDeviceID(device) {
		http.Error(w, "invalid exemplar path: use /api/v1/devices/DEVICE/exemplar/FRAME.jpg",
			http.StatusBadRequest)
		return
	}
	e, err := h.findExemplar(device, frame)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Header().Set("Content-Length", strconv.Itoa(len(e.JPEG)))
	_, _ = w.Write(e.JPEG)
}

// exemplarURL returns the path of an exemplar thumbnail.
func exemplarURL(device string, frame uint64) string {
	return fmt.Sprintf("/api/v1/devices/%s/exemplar/%d.jpg", device, frame)
}

// ExemplarRequestInterval is the shortest time between two send_exemplars
// requests to one device. A device that keeps no thumbnails lists frames
// the hub can never get, so the requests stay rare.
const ExemplarRequestInterval = 10 * time.Minute

// checkExemplars requests the device's exemplars again when the summary
// lists one the hub does not store, as after a lost message or a new hub
// state file. Like checkGap it is off with Options.Share.
func (h *Hub) checkExemplars(s wire.Summary) {
	if h.opts.Share != "" || !h.missingExemplar(s) {
		return
	}
	key := s.Device + "/" + wire.KindExemplars
	now := h.now()
	h.mu.Lock()
	last, asked := h.resyncAt[key]
	if asked && now.Sub(last) < ExemplarRequestInterval {
		h.mu.Unlock()
		return
	}
	h.resyncAt[key] = now
	h.mu.Unlock()
	h.requestExemplars(s.Device)
}

// missingExemplar reports whether s lists an exemplar the hub does not
// store. It checks each frame once, by key alone, in one transaction.
func (h *Hub) missingExemplar(s wire.Summary) bool {
	seen := map[uint64]bool{}
	var frames []uint64
	for _, c := range s.Clusters {
		for _, frame := range c.Exemplars {
			if !seen[frame] {
				seen[frame] = true
				frames = append(frames, frame)
			}
		}
	}
	if len(frames) == 0 {
		return false
	}
	missing, err := h.store.missingExemplar(s.Device, frames)
	if err != nil {
		h.log.Warn("exemplar check failed", "device", s.Device, "err", err)
		return false
	}
	return missing
}

// missingExemplar reports whether any of frames of device has no stored
// exemplar.
func (s *store) missingExemplar(device string, frames []uint64) (bool, error) {
	missing := false
	err := s.db.View(func(tx kv.Tx) error {
		b := tx.Bucket(exemplarsBucket)
		if b == nil {
			missing = true
			return nil
		}
		for _, frame := range frames {
			if b.Get(exemplarKey(device, frame)) == nil {
				missing = true
				return nil
			}
		}
		return nil
	})
	return missing, err
}

// requestExemplars publishes a send_exemplars command without waiting for
// the PUBACK, because it runs on the MQTT client's message goroutine.
func (h *Hub) requestExemplars(device string) {
	id := fmt.Sprintf("hub-%d", h.commandID.Add(1))
	payload := fmt.Sprintf(`{"v":%d,"id":%q}`, wire.Version, id)
	topic := wire.CommandTopic(h.opts.Prefix, device, wire.CmdSendExemplars)
	h.log.Info("exemplars requested", "device", device, "id", id)
	tok := h.client.Publish(topic, 1, false, payload)
	go func() {
		if !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
			h.log.Warn("exemplars request not acknowledged", "device", device, "id", id,
				"err", tok.Error())
		}
	}()
}
