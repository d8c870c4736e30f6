package daemon

import (
	"fmt"
	"time"

	"github.com/edgecluster/edgecluster/internal/metrics"
)

// Snapshot is a point-in-time view of a running daemon, served as JSON at
// /status and printed by "edgecluster status".
type Snapshot struct {
	Info
	State       string    `json:"state"`
	Healthy     bool      `json:"healthy"`
	Problem     string    `json:"problem,omitempty"`
	Started     time.Time `json:"started"`
	Uptime      string    `json:"uptime"`
	Frames      uint64    `json:"frames"`
	Gated       uint64    `json:"gated"`
	Embedded    uint64    `json:"embedded"`
	Corrupt     uint64    `json:"corrupt"`
	Summaries   uint64    `json:"summaries"`
	Clusters    int       `json:"clusters"`
	Observed    uint64    `json:"observed"` // frames assigned to the clusters
	LastSummary time.Time `json:"last_summary,omitzero"`
	InferenceMS float64   `json:"inference_ms_mean"`
	Connected   bool      `json:"mqtt_connected"`
	Outbox      int       `json:"outbox"`
	Reconnects  uint64    `json:"mqtt_reconnects"`

	// Dropped and DroppedExemplars count the messages dropped because the
	// outbox was full: exemplar messages go first and are counted apart.
	Dropped          uint64 `json:"outbox_dropped"`
	DroppedExemplars uint64 `json:"outbox_dropped_exemplars"`
}

// Healthy reports whether the pipeline is making progress. It is unhealthy
// before it runs, after it stops, and while one step has been busy for
// longer than the stall limit. The string gives the reason when it is not healthy.
func (m *Monitor) Healthy() (bool, string) {
	m.mu.Lock()
	state := m.state
	m.mu.Unlock()
	if state != StateRunning {
		return false, "pipeline is " + state
	}
	since := m.busySince.Load()
	if since == 0 {
		return true, ""
	}
	limit := m.StallLimit
	if limit <= 0 {
		limit = DefaultStallLimit
	}
	busy := m.clock.Now().Sub(time.Unix(0, since))
	if busy > limit {
		return false, fmt.Sprintf("one pipeline step has run for %v, limit %v",
			busy.Round(time.Second), limit)
	}
	return true, ""
}

// Snapshot returns the current counters, state and health.
func (m *Monitor) Snapshot() Snapshot {
	ok, problem := m.Healthy()
	m.mu.Lock()
	s := Snapshot{Info: m.info, State: m.state, Started: m.started.UTC(),
		LastSummary: m.lastSum.UTC()}
	up := m.uplink
	m.mu.Unlock()

	s.Healthy, s.Problem = ok, problem
	s.Uptime = m.clock.Now().Sub(m.started).Round(time.Second).String()
	c := m.Counters()
	s.Frames, s.Gated, s.Embedded, s.Corrupt = c.Seen, c.Gated, c.Embedded, c.Corrupt
	s.Summaries, s.Clusters = m.Summaries.Value(), int(m.clusters.Load())
	s.Observed = m.observed.Load()
	if n := m.Inference.Count(); n > 0 {
		s.InferenceMS = m.Inference.Sum() / float64(n)
	}
	if up != nil {
		s.Connected, s.Outbox, s.Reconnects = up.Connected(), up.Len(), up.Reconnects()
		s.Dropped, s.DroppedExemplars = up.Dropped(), up.DroppedExpendable()
	}
	return s
}

// Registry returns the daemon's metrics for the Prometheus text format.
func (m *Monitor) Registry() *metrics.Registry {
	r := &metrics.Registry{}
	r.CounterFunc("edgecluster_frames_total", "Frames read from the source.",
		func() uint64 { return m.Counters().Seen })
	r.CounterFunc("edgecluster_frames_gated_total",
		"Frames skipped unembedded: over a live source's rate limit or unchanged.",
		func() uint64 { return m.Counters().Gated })
	r.CounterFunc("edgecluster_frames_embedded_total",
		"Frames embedded and added to the clusters.",
		func() uint64 { return m.Counters().Embedded })
	r.CounterFunc("edgecluster_frames_corrupt_total",
		"Frames that could not be decoded or embedded.",
		func() uint64 { return m.Counters().Corrupt })
	r.Histogram("edgecluster_inference_ms", "Time to embed one frame in milliseconds.",
		m.Inference)
	r.GaugeFunc("edgecluster_clusters", "Clusters in the last summary.",
		func() float64 { return float64(m.clusters.Load()) })
	r.Counter("edgecluster_summaries_total", "Summaries queued for the hub.", &m.Summaries)
	r.GaugeFunc("edgecluster_outbox_messages", "Messages waiting in the MQTT outbox.",
		func() float64 { return float64(m.Snapshot().Outbox) })
	r.CounterFunc("edgecluster_outbox_dropped_total",
		"Summaries and events dropped because the MQTT outbox was full.",
		func() uint64 { return m.Snapshot().Dropped })
	r.CounterFunc("edgecluster_outbox_dropped_exemplars_total",
		"Exemplar messages dropped, before any other, because the MQTT outbox was full.",
		func() uint64 { return m.Snapshot().DroppedExemplars })
	r.CounterFunc("edgecluster_mqtt_reconnects_total",
		"Times the MQTT connection came up again after the first connect.",
		func() uint64 { return m.Snapshot().Reconnects })
	r.GaugeFunc("edgecluster_up", "1 while the pipeline is healthy, else 0.", func() float64 {
		if ok, _ := m.Healthy(); ok {
			return 1
		}
		return 0
	})
	return r
}
