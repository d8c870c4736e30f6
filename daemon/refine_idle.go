package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/edgecluster/edgecluster/edge/dec"
	"github.com/edgecluster/edgecluster/internal/vec"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// Defaults and bounds of RefineConfig.
const (
	DefaultRefineBudgetMS = 200
	DefaultRefineInterval = time.Hour

	// maxRefineBudgetMS bounds one run, during which no frame is read.
	maxRefineBudgetMS = 60_000

	// minRefineExemplars is how many exemplars per cluster, on average, an
	// idle run needs.
	minRefineExemplars = 2
)

// RefineConfig sets the idle refinement: a DEC run over the device's own
// exemplar embeddings while few frames arrive, applied like a
// refine_centroids command from the hub. The zero value turns it off.
type RefineConfig struct {
	// Idle is how long the device must go without a new frame before a run
	// starts, so runs happen when the frame rate is below one per Idle.
	// 0 turns idle refinement off.
	//
	// NOTE: a run starts with the first frame after such a gap, or while
	// the daemon waits after its source ended. A live source that blocks
	// without frames starts none until its next frame.
	Idle duration `toml:"idle"`

	// BudgetMS bounds one run in milliseconds of the daemon's clock. The
	// run takes one core and reads no frames meanwhile. 0 means
	// DefaultRefineBudgetMS.
	//
	// NOTE: the clock is checked before each DEC step, so a run may exceed
	// the budget by one step, the soft assignment before the first step
	// and the commit of the result.
	BudgetMS int `toml:"budget_ms"`

	// Interval is the shortest time between the starts of two runs. 0
	// means DefaultRefineInterval.
	Interval duration `toml:"interval"`
}

func (rc RefineConfig) validate(ck *checker) {
	ck.check(rc.Idle.Duration < 0 || (rc.Idle.Duration > 0 && rc.Idle.Duration < time.Second),
		"refine.idle", "%v must be 0 (off) or at least 1s, such as \"30s\"", rc.Idle.Duration)
	ck.check(rc.BudgetMS < 0 || rc.BudgetMS > maxRefineBudgetMS, "refine.budget_ms",
		"%d must be 0 (default %d) to %d", rc.BudgetMS, DefaultRefineBudgetMS,
		maxRefineBudgetMS)
	ck.check(rc.Interval.Duration < 0 ||
		(rc.Interval.Duration > 0 && rc.Interval.Duration < time.Second), "refine.interval",
		"%v must be 0 (default 1h) or at least 1s", rc.Interval.Duration)
}

// idleRefiner decides when the device refines its own centroids.
type idleRefiner struct {
	idle, interval, budget time.Duration
	lastFrame              time.Time // when the latest batch was embedded
	lastRun                time.Time // start of the latest run, zero before the first

	// settled is the fingerprint of the exemplars and centroids that the
	// latest converged run left, zero before the first. A run over the same
	// input would only repeat it, so refineIdle skips it. A run that its
	// budget stopped leaves it, so the next run goes on from there.
	settled    refineFingerprint
	skipLogged bool // a skip of settled was logged at info level
}

// newIdleRefiner returns nil when cfg turns idle refinement off.
func newIdleRefiner(cfg RefineConfig, now time.Time) *idleRefiner {
	if cfg.Idle.Duration <= 0 {
		return nil
	}
	r := &idleRefiner{idle: cfg.Idle.Duration, interval: cfg.Interval.Duration,
		budget: time.Duration(cfg.BudgetMS) * time.Millisecond, lastFrame: now}
	if r.interval == 0 {
		r.interval = DefaultRefineInterval
	}
	if r.budget == 0 {
		r.budget = DefaultRefineBudgetMS * time.Millisecond
	}
	return r
}

// due reports whether a run may start at now.
func (r *idleRefiner) due(now time.Time) bool {
	return r != nil && now.Sub(r.lastFrame) >= r.idle &&
		(r.lastRun.IsZero() || now.Sub(r.lastRun) >= r.interval)
}

// wait returns how long from now until the next run may be due.
func (r *idleRefiner) wait(now time.Time) time.Duration {
	next := r.lastFrame.Add(r.idle)
	if !r.lastRun.IsZero() {
		next = maxTime(next, r.lastRun.Add(r.interval))
	}
	return max(next.Sub(now), time.Millisecond)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// idleRun reports one idle refinement.
type idleRun struct {
	steps     int
	stopped   bool // the budget ran out
	converged bool
	moved     []int
	dropped   string // reason the run did not apply, "" when it did
	skipped   bool   // the input was unchanged since the latest converged run
}

// refineIdle runs DEC over the device's exemplar embeddings from the
// current centroids, within the budget, and applies the result through
// applyRefinement. The end of ctx stops it like the end of the budget, so
// a stop request is not held up by a long budget.
func (p *pipeline) refineIdle(ctx context.Context) idleRun {
	start := p.clock.Now()
	p.idle.lastRun = start
	ids, samples, centroids, reason := p.refineInput()
	if reason != "" {
		p.log.Info("idle refinement dropped", "reason", reason)
		return idleRun{dropped: reason}
	}
	if p.skipSettled(fingerprintRefineInput(ids, samples, centroids)) {
		return idleRun{skipped: true}
	}

	p.log.Info("idle refinement started", "exemplars", len(samples), "clusters", len(ids),
		"budget_ms", p.idle.budget.Milliseconds())
	deadline := start.Add(p.idle.budget)
	res, err := dec.Refine(samples, centroids, dec.RefineConfig{
		Continue: func() bool { return ctx.Err() == nil && !p.clock.Now().After(deadline) }})

	run := idleRun{steps: res.Steps, stopped: res.Stopped, converged: res.Converged}
	if err == nil && res.Steps == 0 {
		err = fmt.Errorf("budget of %v ran out before the first step", p.idle.budget)
	}
	if err == nil {
		r := p.ownRefinement(start, ids, res.Centroids)
		run.moved, err = p.applyRefinement(&r, wire.RefineSourceIdle)
	}
	if err != nil {
		run.dropped = err.Error()
		p.log.Warn("idle refinement dropped", "steps", res.Steps, "err", err)
		return run
	}

	if res.Converged {
		p.idle.settled = fingerprintRefineInput(ids, samples, res.Centroids)
		p.idle.skipLogged = false
	}
	p.log.Info("idle refinement finished", "steps", res.Steps, "converged", res.Converged,
		"budget_exhausted", res.Stopped, "elapsed", p.clock.Now().Sub(start),
		"moved", len(run.moved))
	return run
}

// skipSettled reports whether input is what the latest converged run
// left, and logs the skip. Only the first skip of a settled input is
// logged at info level, so a short refine.interval does not fill the log.
func (p *pipeline) skipSettled(input refineFingerprint) bool {
	if input != p.idle.settled {
		return false
	}
	level := slog.LevelDebug
	if !p.idle.skipLogged {
		level, p.idle.skipLogged = slog.LevelInfo, true
	}
	p.log.Log(context.Background(), level, "idle refinement skipped",
		"reason", "exemplars and centroids unchanged since the last run")
	return true
}

// refineInput returns the current cluster ids and centroids and the
// exemplar embeddings in cluster space, or the reason no run can start.
func (p *pipeline) refineInput() (ids []int, samples, centroids [][]float64, reason string) {
	if !p.clusters.Seeded() {
		return nil, nil, nil, "clusters not seeded yet"
	}
	if p.pca != nil && (!p.pca.frozen() || p.pca.basis == "") {
		return nil, nil, nil, "PCA basis still learning"
	}
	known := map[int]bool{}
	for _, c := range p.clusters.Snapshot().Clusters {
		ids = append(ids, c.ID)
		centroids = append(centroids, vec.Float64s(c.Centroid))
		known[c.ID] = true
	}
	for _, e := range p.exemplars.All() {
		if !known[e.Cluster] || len(e.Vector) != p.id.Dims {
			continue
		}
		v, err := p.toClusterSpace(e.Vector)
		if err == nil {
			samples = append(samples, vec.Float64s(v))
		}
	}
	if len(samples) < minRefineExemplars*len(ids) {
		return nil, nil, nil, fmt.Sprintf("%d exemplars for %d clusters, at least %d needed",
			len(samples), len(ids), minRefineExemplars*len(ids))
	}
	return ids, samples, centroids, ""
}

// toClusterSpace reduces an embedding with the frozen PCA when it is on.
func (p *pipeline) toClusterSpace(embedding []float32) ([]float32, error) {
	if p.pca == nil {
		return embedding, nil
	}
	return p.pca.pca.Transform(embedding)
}

// ownRefinement wraps refined centroids in the identity of the current
// cluster space, as a refine_centroids command from the hub carries it.
func (p *pipeline) ownRefinement(at time.Time, ids []int, centroids [][]float64) wire.Refinement {
	r := wire.Refinement{ID: fmt.Sprintf("idle-%d", at.UnixMilli()), Epoch: p.epoch,
		Space: p.space, Model: wire.Model{Name: p.id.Name, SHA256: p.id.SHA256, Dims: p.id.Dims},
		Reduction: p.pca.wireReduction(), Summary: p.lastSeq, Embedded: p.counters.Embedded}
	for i, id := range ids {
		r.Clusters = append(r.Clusters, wire.RefinedCluster{ID: id,
			Centroid: vec.Float32s(centroids[i])})
	}
	return r
}
