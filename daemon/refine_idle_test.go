package daemon

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// stepClock advances by tick on every Now call, so a run's clock time
// counts the clock reads it made.
type stepClock struct {
	mu   sync.Mutex
	now  time.Time
	tick time.Duration
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(c.tick)
	return c.now
}

func (c *stepClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	c.now = c.now.Add(d)
	ch := make(chan time.Time, 1)
	ch <- c.now
	c.mu.Unlock()
	return ch
}

var (
	idleStateOnce sync.Once
	idleState     []byte // state file after the clip, shared by the idle tests
	idleStateErr  error
)

// idlePipeline opens a copy of the clusters and exemplars of a short clip
// on clk, with idle refinement set by rc.
func idlePipeline(t *testing.T, clk *stepClock, rc RefineConfig) *pipeline {
	t.Helper()
	cfg := testConfig(t, writeClip(t, clipFrames(t, 0, 40)), filepath.Join(t.TempDir(), "s.db"))
	idleStateOnce.Do(func() {
		first := cfg
		first.StatePath = filepath.Join(t.TempDir(), "first.db")
		if _, idleStateErr = Run(context.Background(), first, testOptions()); idleStateErr == nil {
			idleState, idleStateErr = os.ReadFile(first.StatePath)
		}
	})
	if idleStateErr != nil {
		t.Fatal(idleStateErr)
	}
	if err := os.WriteFile(cfg.StatePath, idleState, 0o600); err != nil {
		t.Fatal(err)
	}
	opts := testOptions()
	opts.Clock = clk
	cfg.Refine = rc
	p, err := newPipeline(cfg.WithDefaults(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.closeAll() })
	p.idle = newIdleRefiner(rc, clk.Now())
	return p
}

// TestIdleRefineBudget checks that one idle run stops after the clock
// reads that its budget allows: the step clock moves 1 ms per read, and
// the run reads it once before each DEC step.
func TestIdleRefineBudget(t *testing.T) {
	tests := []struct {
		name     string
		budgetMS int
		tick     time.Duration
		wantDrop string
	}{
		{"one step", 1, time.Millisecond, ""},
		{"five steps", 5, time.Millisecond, ""},
		{"forty steps", 40, time.Millisecond, ""},
		{"no step", 1, 2 * time.Millisecond, "ran out before the first step"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := &stepClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), tick: tt.tick}
			p := idlePipeline(t, clk, RefineConfig{Idle: duration{time.Second},
				BudgetMS: tt.budgetMS})
			run := p.refineIdle(context.Background())
			if !strings.Contains(run.dropped, tt.wantDrop) || (tt.wantDrop == "") !=
				(run.dropped == "") {
				t.Fatalf("dropped %q, want %q", run.dropped, tt.wantDrop)
			}
			maxSteps := int(time.Duration(tt.budgetMS) * time.Millisecond / tt.tick)
			if run.steps > maxSteps {
				t.Errorf("%d steps, the budget allows %d", run.steps, maxSteps)
			}
			if run.stopped && run.converged {
				t.Error("run both stopped by its budget and converged")
			}
			if run.stopped && run.steps != maxSteps {
				t.Errorf("budget stopped the run after %d steps, want %d", run.steps, maxSteps)
			}
			if tt.wantDrop == "" && !run.stopped && !run.converged {
				t.Errorf("run of %d steps neither used its budget nor converged", run.steps)
			}
			t.Logf("%d steps, stopped %v, converged %v", run.steps, run.stopped, run.converged)
			// A converged run keeps the centroids when the partition of the
			// exemplars did not change, so only a stopped run must move one.
			if tt.wantDrop == "" && run.stopped && len(run.moved) == 0 {
				t.Error("no centroid moved")
			}
		})
	}
}

func TestIdleRefineRecordsLineage(t *testing.T) {
	clk := &stepClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), tick: time.Millisecond}
	// A budget of 5 steps stops the run before its first convergence check,
	// so it keeps its moves.
	p := idlePipeline(t, clk, RefineConfig{Idle: duration{time.Second}, BudgetMS: 5})
	before := p.clusters.Snapshot()
	run := p.refineIdle(context.Background())
	if run.dropped != "" {
		t.Fatalf("run dropped: %s", run.dropped)
	}
	path := p.cfg.StatePath
	if err := p.closeAll(); err != nil {
		t.Fatal(err)
	}
	_, state := storedState(t, path)
	events := refineEvents(state)
	if len(events) != 1 {
		t.Fatalf("%d stored refine events, want 1", len(events))
	}
	if len(events[0].From) != len(run.moved) {
		t.Errorf("stored event lists %v, the run moved %v", events[0].From, run.moved)
	}
	for i, c := range state.Clusters {
		if c.ID != before.Clusters[i].ID || c.Count != before.Clusters[i].Count {
			t.Errorf("cluster %d with %d frames became %d with %d", before.Clusters[i].ID,
				before.Clusters[i].Count, c.ID, c.Count)
		}
	}
}

func TestIdleRefinerDue(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cfg := RefineConfig{Idle: duration{30 * time.Second}, Interval: duration{time.Hour}}
	tests := []struct {
		name    string
		lastRun time.Duration // after start, negative for none
		at      time.Duration // after start
		want    bool
	}{
		{"frames still arriving", -1, 10 * time.Second, false},
		{"idle long enough", -1, 30 * time.Second, true},
		{"ran recently", 40 * time.Second, 50 * time.Minute, false},
		{"interval passed", 40 * time.Second, time.Hour + 40*time.Second, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newIdleRefiner(cfg, start)
			if tt.lastRun >= 0 {
				r.lastRun = start.Add(tt.lastRun)
			}
			if got := r.due(start.Add(tt.at)); got != tt.want {
				t.Errorf("due = %v, want %v", got, tt.want)
			}
		})
	}
	if r := newIdleRefiner(RefineConfig{}, start); r != nil || r.due(start.Add(time.Hour)) {
		t.Error("zero RefineConfig turns idle refinement on")
	}
}

// logWatch is a slog handler that counts records by message and component.
// Handlers made by WithAttrs share the mutex and the counts.
type logWatch struct {
	mu    *sync.Mutex
	count map[string]int // by "component/message"
	attrs []slog.Attr
}

func newLogWatch() *logWatch {
	return &logWatch{mu: &sync.Mutex{}, count: map[string]int{}}
}

func (w *logWatch) Enabled(context.Context, slog.Level) bool { return true }

func (w *logWatch) Handle(_ context.Context, r slog.Record) error {
	component := ""
	for _, a := range w.attrs {
		if a.Key == "component" {
			component = a.Value.String()
		}
	}
	w.mu.Lock()
	w.count[component+"/"+r.Message]++
	w.mu.Unlock()
	return nil
}

func (w *logWatch) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &logWatch{mu: w.mu, count: w.count, attrs: append(slices.Clone(w.attrs), attrs...)}
}

func (w *logWatch) WithGroup(string) slog.Handler { return w }

func (w *logWatch) seen(key string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.count[key]
}

// TestIdleRefineAfterSourceEnds runs the daemon past the end of a clip
// with idle refinement on and waits for a run to finish, which the daemon
// logs with its component attribute.
func TestIdleRefineAfterSourceEnds(t *testing.T) {
	cfg := testConfig(t, writeClip(t, clipFrames(t, 0, 40)), filepath.Join(t.TempDir(), "s.db"))
	cfg.Refine = RefineConfig{Idle: duration{time.Second}, BudgetMS: 50}
	watch := newLogWatch()
	opts := testOptions()
	opts.Once = false
	opts.Logger = slog.New(watch)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := Run(ctx, cfg, opts)
		done <- err
	}()
	deadline := time.Now().Add(30 * time.Second)
	for watch.seen("daemon/idle refinement finished") == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if watch.seen("daemon/idle refinement finished") == 0 {
		t.Fatalf("no idle refinement finished within 30 s; started %d, dropped %d",
			watch.seen("daemon/idle refinement started"),
			watch.seen("daemon/idle refinement dropped"))
	}
	if got := watch.seen("daemon/idle refinement started"); got == 0 {
		t.Error("no \"idle refinement started\" line with component daemon")
	}
}

// TestIdleRefineSkipsUnchangedInput runs idle refinement again and again
// without new frames. After the first converged run, the device must skip
// runs until its centroids or exemplars change.
func TestIdleRefineSkipsUnchangedInput(t *testing.T) {
	clk := &stepClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), tick: time.Microsecond}
	p := idlePipeline(t, clk, RefineConfig{Idle: duration{time.Second}, BudgetMS: 10_000})
	first := p.refineIdle(context.Background())
	if first.dropped != "" || !first.converged {
		t.Fatalf("first run: dropped %q, converged %v; want a converged run", first.dropped,
			first.converged)
	}
	settled := p.clusters.Snapshot()
	for i := range 3 {
		if run := p.refineIdle(context.Background()); !run.skipped {
			t.Errorf("run %d over unchanged input: skipped = false, moved %v", i+2, run.moved)
		}
	}
	for i, c := range p.clusters.Snapshot().Clusters {
		if !slices.Equal(c.Centroid, settled.Clusters[i].Centroid) {
			t.Errorf("cluster %d moved while the input was unchanged", c.ID)
		}
	}

	nudged := slices.Clone(settled.Clusters[0].Centroid)
	nudged[0] += 0.01
	_, err := p.clusters.Refine(map[int][]float32{settled.Clusters[0].ID: nudged},
		clk.Now(), p.counters.Seen)
	if err != nil {
		t.Fatal(err)
	}
	if run := p.refineIdle(context.Background()); run.skipped || run.dropped != "" {
		t.Errorf("run after a centroid moved: skipped %v, dropped %q; want a run",
			run.skipped, run.dropped)
	}
	if n := len(refineEvents(p.clusters.Snapshot())); n > 3 {
		t.Errorf("%d refine lineage events, want at most 3", n)
	}
}

func TestRefinementBeforeResetRejected(t *testing.T) {
	clk := &stepClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), tick: time.Millisecond}
	p := idlePipeline(t, clk, RefineConfig{Idle: duration{time.Second}})
	p.resetSummary = 5
	tests := []struct {
		summary uint64
		wantErr error
	}{
		{4, errRefineStale},
		{5, errRefineStale},
		{6, nil},
	}
	for _, tt := range tests {
		r := p.ownRefinement(clk.Now(), nil, nil)
		r.Summary, r.Embedded = tt.summary, 0
		if err := p.checkRefinement(&r); !errors.Is(err, tt.wantErr) {
			t.Errorf("summary %d: err = %v, want %v", tt.summary, err, tt.wantErr)
		}
	}
}
