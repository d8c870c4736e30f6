package hub

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/edgecluster/edgecluster/sync/wire"
)

// DeviceInfo is one row of GET /api/v1/devices.
type DeviceInfo struct {
	ID         string        `json:"id"`
	State      string        `json:"state"`
	LastSeen   time.Time     `json:"last_seen"`
	Model      *wire.Model   `json:"model,omitempty"`
	Seq        uint64        `json:"seq"`
	Clusters   int           `json:"clusters"`
	Frames     wire.Counters `json:"frames"`
	Quality    *wire.Quality `json:"quality,omitempty"`
	Duplicates uint64        `json:"duplicates"`
	Gaps       uint64        `json:"gaps"`
	Summaries  Sequence      `json:"summaries"`
	Events     Sequence      `json:"events"`
}

// ClusterInfo is one row of GET /api/v1/devices/{id}/clusters. The centroid
// is left out unless the request has ?centroids=1.
type ClusterInfo struct {
	wire.Cluster
	Centroid wire.Vector `json:"centroid,omitempty"`
}

func info(d Device) DeviceInfo {
	out := DeviceInfo{ID: d.ID, State: "unknown", LastSeen: d.LastSeen,
		Duplicates: d.Summaries.Duplicates, Gaps: d.Summaries.Gaps,
		Summaries: d.Summaries, Events: d.Events}
	if d.Status != nil {
		out.State = d.Status.State
		out.Model = d.Status.Model
	}
	if s := d.Summary; s != nil {
		out.Seq, out.Clusters, out.Frames = s.Seq, len(s.Clusters), s.Frames
		out.Model, out.Quality = &s.Model, &s.Quality
	}
	return out
}

// Handler returns the hub's HTTP API and page:
//
//	GET /                              HTML list of devices and clusters
//	GET /api/v1/devices                JSON []DeviceInfo
//	GET /api/v1/devices/{id}/clusters  JSON []ClusterInfo
//	GET /api/v1/devices/{id}/summaries JSON array of stored summaries
//	GET /api/v1/devices/{id}/events    JSON array of stored events
//	GET /api/v1/devices/{id}/exemplar/{frame}.jpg  exemplar thumbnail
//	GET /api/v1/labels                 JSON []Label, ?device=ID for one device
//	GET /api/v1/devices/{id}/refinement  JSON Refinement, the latest one
//	GET /login, POST /login            log in with Options.User and PasswordHash
//	POST /logout, POST /labels,        need a session and its CSRF token
//	POST /labels/fleet, POST /refine
//
// The history endpoints take ?from=SEQ (default 1) and ?limit=N (default
// 100, at most 1000) and return payloads in sequence order.
func (h *Hub) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/devices/{id}/summaries", h.serveHistory(wire.KindSummary))
	mux.HandleFunc("GET /api/v1/devices/{id}/events", h.serveHistory(wire.KindEvent))
	mux.HandleFunc("GET /api/v1/devices", h.serveDevices)
	mux.HandleFunc("GET /api/v1/devices/{id}/clusters", h.serveClusters)
	mux.HandleFunc("GET /api/v1/devices/{id}/exemplar/{file}", h.serveExemplarJPEG)
	mux.HandleFunc("GET /api/v1/labels", h.serveLabels)
	mux.HandleFunc("GET /{$}", h.servePage)
	mux.HandleFunc("GET /login", h.serveLoginPage)
	mux.HandleFunc("POST /login", h.serveLogin)
	mux.HandleFunc("POST /logout", h.serveLogout)
	mux.HandleFunc("POST /labels", h.serveLabel)
	mux.HandleFunc("POST /labels/fleet", h.serveFleetLabel)
	mux.HandleFunc("POST /refine", h.serveRefine)
	mux.HandleFunc("GET /api/v1/devices/{id}/refinement", h.serveRefinement)
	mux.HandleFunc("GET /static/map.js", serveMapJS)
	return mux
}

func (h *Hub) serveDevices(w http.ResponseWriter, r *http.Request) {
	devs, err := h.store.devices()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := make([]DeviceInfo, 0, len(devs))
	for _, d := range devs {
		out = append(out, info(d))
	}
	writeJSON(w, out)
}

func (h *Hub) serveClusters(w http.ResponseWriter, r *http.Request) {
	d, err := h.store.device(r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	withCentroids := r.URL.Query().Get("centroids") == "1"
	out := []ClusterInfo{}
	if d.Summary != nil {
		for _, c := range d.Summary.Clusters {
			ci := ClusterInfo{Cluster: c}
			if withCentroids {
				ci.Centroid = c.Centroid
			}
			out = append(out, ci)
		}
	}
	writeJSON(w, out)
}

func (h *Hub) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, ErrNotFound) || errors.Is(err, ErrClusterNotFound) ||
		errors.Is(err, ErrExemplarNotFound) {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	h.log.Error("request failed", "path", r.URL.Path, "err", err)
	http.Error(w, "internal error, see the hub log", http.StatusInternalServerError)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
