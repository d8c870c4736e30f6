package hub

import (
	"net/http"
	"strconv"
)

// Limits of one history request.
const (
	defaultHistoryLimit = 100
	maxHistoryLimit     = 1000
)

func (h *Hub) serveHistory(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		from, err := queryUint(r, "from", 1)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		limit, err := queryUint(r, "limit", defaultHistoryLimit)
		if err != nil || limit == 0 || limit > maxHistoryLimit {
			http.Error(w, "invalid limit: use 1-1000", http.StatusBadRequest)
			return
		}
		out, err := h.store.history(r.PathValue("id"), kind, from, int(limit))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, out)
	}
}

func queryUint(r *http.Request, name string, def uint64) (uint64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, &queryError{name: name, value: v}
	}
	return n, nil
}

type queryError struct{ name, value string }

func (e *queryError) Error() string {
	return "invalid " + e.name + " " + strconv.Quote(e.value) + ": use a whole number >= 0"
}

// Seqs returns the stored sequence numbers of a device's messages of kind
// (wire.KindSummary or wire.KindEvent) in ascending order.
func (h *Hub) Seqs(device, kind string) ([]uint64, error) {
	return h.store.seqs(device, kind)
}

// Devices returns what GET /api/v1/devices serves.
func (h *Hub) Devices() ([]DeviceInfo, error) {
	devs, err := h.store.devices()
	if err != nil {
		return nil, err
	}
	out := make([]DeviceInfo, 0, len(devs))
	for _, d := range devs {
		out = append(out, info(d))
	}
	return out, nil
}

// Device returns what the hub stores about one device, or ErrNotFound.
func (h *Hub) Device(id string) (Device, error) { return h.store.device(id) }
