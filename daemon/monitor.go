package daemon

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/edgecluster/edgecluster/internal/clock"
	"github.com/edgecluster/edgecluster/internal/metrics"
	"github.com/edgecluster/edgecluster/sync/uplink"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// Pipeline states reported by Monitor.Snapshot.
const (
	StateStarting = "starting"
	StateRunning  = "running"
	StateStopping = "stopping"
	StateStopped  = "stopped"
)

// DefaultStallLimit is how long one step of the pipeline (embedding a batch,
// committing state) may take before Monitor.Healthy reports a stall.
const DefaultStallLimit = time.Minute

// inferenceBuckets are the upper bounds in milliseconds of the inference
// histogram. One embedding takes about 200 ms on an x86-64 core and several
// times that on a Raspberry Pi, so the buckets span 10 ms to 10 s.
var inferenceBuckets = []float64{10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000}

// Monitor records what a running pipeline does and reports whether it is
// healthy. It is safe for concurrent use: the pipeline writes, HTTP
// handlers and the watchdog read. The frame counters are the pipeline's
// stored ones, copied after each batch, so they continue across restarts
// and start again at zero only in a new cluster space.
type Monitor struct {
	// Summaries counts summaries built in this process.
	Summaries metrics.Counter

	// Inference holds the time of one embedding in milliseconds.
	Inference *metrics.Histogram

	// StallLimit overrides DefaultStallLimit when positive.
	StallLimit time.Duration

	clock     clock.Clock
	started   time.Time
	busySince atomic.Int64 // Unix nanoseconds; 0 while waiting for frames
	clusters  atomic.Int64
	observed  atomic.Uint64
	mu        sync.Mutex
	state     string
	counters  wire.Counters
	info      Info
	uplink    *uplink.Uplink
	lastSum   time.Time
}

// Info describes the running daemon in a Snapshot.
type Info struct {
	Device  string `json:"device"`
	Version string `json:"version"`
	Model   string `json:"model"`
	Space   string `json:"space"`
	Source  string `json:"source"`
	Broker  string `json:"broker,omitempty"`
}

// NewMonitor returns a Monitor in StateStarting. A nil clock means the
// system clock.
func NewMonitor(c clock.Clock) *Monitor {
	c = clock.Or(c)
	return &Monitor{Inference: metrics.NewHistogram(inferenceBuckets...),
		clock: c, started: c.Now(), state: StateStarting}
}

func (m *Monitor) setState(s string) {
	m.mu.Lock()
	m.state = s
	m.mu.Unlock()
}

func (m *Monitor) setInfo(info Info, up *uplink.Uplink) {
	m.mu.Lock()
	m.info, m.uplink = info, up
	m.mu.Unlock()
}

func (m *Monitor) setCounters(c wire.Counters) {
	m.mu.Lock()
	m.counters = c
	m.mu.Unlock()
}

// Counters returns the frame counters as of the last finished batch.
func (m *Monitor) Counters() wire.Counters {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.counters
}

// setClusters records the number of clusters and the frames they have
// observed, from the loaded state or from the last summary.
func (m *Monitor) setClusters(clusters int, observed uint64) {
	m.clusters.Store(int64(clusters))
	m.observed.Store(observed)
}

func (m *Monitor) summarized(clusters int, observed uint64) {
	m.Summaries.Inc()
	m.setClusters(clusters, observed)
	m.mu.Lock()
	m.lastSum = m.clock.Now()
	m.mu.Unlock()
}

// busy marks the start of a pipeline step, idle its end.
func (m *Monitor) busy() { m.busySince.Store(m.clock.Now().UnixNano()) }
func (m *Monitor) idle() { m.busySince.Store(0) }

func (m *Monitor) observeInference(d time.Duration) {
	m.Inference.Observe(float64(d) / float64(time.Millisecond))
}

// step embeds one batch and publishes a summary when one is due, marking
// the pipeline busy meanwhile so that a hung step shows as a stall.
func (p *pipeline) step(batch []item) error {
	p.mon.busy()
	defer p.mon.idle()
	err := p.embedBatch(batch)
	if err == nil {
		err = p.maybeSummarize(false)
	}
	p.mon.setCounters(p.counters)
	return err
}

func (p *pipeline) info() Info {
	return Info{Device: p.cfg.DeviceID, Version: p.opts.Version, Model: p.id.Name,
		Space: p.space, Source: p.cfg.Source.Path, Broker: p.cfg.MQTT.Broker}
}
