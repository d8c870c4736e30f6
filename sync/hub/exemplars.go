package hub

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

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
	e, err := h.store.exemplar(device, frame)
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
