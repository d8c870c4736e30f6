package daemon

import (
	"encoding/json"
	"net/http"

	"github.com/edgecluster/edgecluster/internal/metrics"
)

// Handler serves the monitor over HTTP:
//
//	GET /metrics  Prometheus text format
//	GET /healthz  200 "ok" while healthy, else 503 with the reason
//	GET /status   the Snapshot as JSON
func (m *Monitor) Handler() http.Handler {
	reg := m.Registry()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", metrics.ContentType)
		reg.WriteTo(w)
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		ok, problem := m.Healthy()
		if !ok {
			http.Error(w, problem, http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /status", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(m.Snapshot())
	})
	return mux
}
