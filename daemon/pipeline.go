package daemon

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/edgecluster/edgecluster/edge/cluster"
	"github.com/edgecluster/edgecluster/edge/embed"
	"github.com/edgecluster/edgecluster/edge/exemplar"
	"github.com/edgecluster/edgecluster/edge/quality"
	"github.com/edgecluster/edgecluster/edge/store"
	"github.com/edgecluster/edgecluster/internal/clock"
	"github.com/edgecluster/edgecluster/sensors"
	"github.com/edgecluster/edgecluster/sensors/gate"
	"github.com/edgecluster/edgecluster/sync/uplink"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// Options are the run-time settings of Run that do not belong in a config file.
type Options struct {
	// Once stops when the source ends instead of waiting for cancellation.
	Once bool

	// Assignments, when set, receives one CSV line "frame,cluster,distance"
	// per embedded frame. Frame is the source's sequence number.
	Assignments io.Writer

	// Version is reported in the device status.
	Version string

	// Clock stamps status and summaries. Nil means the system clock.
	Clock clock.Clock

	// Logger receives the daemon's logs. Nil means slog.Default().
	Logger *slog.Logger

	// Monitor receives counters and health. Nil means a private one.
	Monitor *Monitor

	// Ready, when set, is called once the model, state, uplink and source
	// are open and frames are about to be read.
	Ready func()
}

// Result reports what a run did.
type Result struct {
	Frames    wire.Counters
	Clusters  int
	Summaries int
	Resumed   bool
}

// pipeline holds the state of one run. Only its run goroutine writes to it.
type pipeline struct {
	cfg       Config
	opts      Options
	log       *slog.Logger
	base      *slog.Logger // without the component attribute, for other packages
	frameLog  rateLog      // limits the lines about bad frames
	epoch     string       // names the state file in every payload
	clock     clock.Clock
	embedders []*embed.Embedder
	id        embed.Identity
	space     string
	store     *store.Store
	clusters  *cluster.Model
	exemplars *exemplar.Set // exemplars and hourly counts of space
	pca       *pcaStage     // nil when cluster.pca_dims is 0
	window    *quality.Window
	uplink    *uplink.Uplink
	source    sensors.Source
	mon       *Monitor
	gate      *gate.Gate         // nil when the scene-change gate is off
	srcStatus *wire.SourceStatus // nil for file replay
	counters  wire.Counters
	started   time.Time
	pending   []pendingFrame // frames observed while the clusters were seeding
	sinceSum  int
	lastSum   time.Time // latest summary, or latest check that found no change
	published string    // fingerprint of the latest published summary
	result    Result
	commands  chan wire.Command // validated commands, applied between frames
	labels    map[int]string    // cluster labels set by commands
	knownIDs  map[int]bool      // cluster ids in the latest summary
	lastSeq   uint64            // sequence number of the latest summary
	nextFrame uint64            // next frame id; resets and space changes keep it
	idle      *idleRefiner      // nil when refine.idle is 0

	// idleChanges is set when a command or an idle refinement ran while no
	// frame arrived, after the source ended or while a live source waited
	// for its camera, so the state may differ from the latest summary.
	idleChanges bool

	// summaryMarks contains the lineage positions of the latest summaries,
	// oldest first.
	summaryMarks []summaryMark

	// reader calls Next of a live source on its own goroutine; nil for file
	// replay and outside loop.
	reader *frameReader

	// resetSummary is the sequence number of the latest summary made
	// before the latest reset or cluster space change, 0 when there was
	// none. A refinement made from a summary up to it predates the reset.
	resetSummary uint64

	// resetFrame is the first frame id after the latest reset.
	resetFrame uint64

	// skippedThumbs counts exemplars skipped because no thumbnail fit.
	skippedThumbs uint64
}

// item is a decoded frame with its frame id, the count of frames the state
// file saw before it across resets and cluster spaces. Exemplars refer to
// frames by this id.
type item struct {
	frame sensors.Frame
	id    uint64

	// embedding is the model's output for the frame, which exemplars keep
	// even when the clusters receive it reduced by PCA.
	embedding []float32
}

type pendingFrame struct {
	seq uint64
	at  time.Time
	vec []float32
}

// Run processes frames until the source ends (with Options.Once) or ctx is
// cancelled, then publishes a final summary, commits state and returns.
func Run(ctx context.Context, cfg Config, opts Options) (Result, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	applyMemoryLimit(cfg.MemoryLimitMiB, opts.Logger)
	p, err := newPipeline(cfg, opts)
	if err != nil {
		return Result{}, err
	}
	p.mon.setState(StateRunning)
	if opts.Ready != nil {
		opts.Ready()
	}
	runErr := p.loop(ctx)
	p.mon.setState(StateStopping)
	closeErr := p.shutdown(ctx.Err() != nil)
	p.mon.setCounters(p.counters)
	p.mon.setState(StateStopped)
	return p.result, errors.Join(runErr, closeErr)
}

func newPipeline(cfg Config, opts Options) (*pipeline, error) {
	base := opts.Logger
	if base == nil {
		base = slog.Default()
	}
	p := &pipeline{cfg: cfg, opts: opts, clock: clock.Or(opts.Clock), base: base,
		frameLog: rateLog{every: frameLogEvery},
		log:      base.With("component", "daemon", "device", cfg.DeviceID)}
	p.started = p.clock.Now()
	if p.mon = opts.Monitor; p.mon == nil {
		p.mon = NewMonitor(opts.Clock)
	}
	if err := p.open(); err != nil {
		_ = p.closeAll()
		return nil, err
	}
	return p, nil
}

// open opens the source first, so that a wrong source path is reported
// before a state file is created, then the model, the state and the uplink.
func (p *pipeline) open() error {
	src, err := p.openSource()
	if err != nil {
		return err
	}
	p.source = src
	p.gate = newGate(p.cfg)
	if err := p.openModelAndState(); err != nil {
		return err
	}
	if err := p.openUplink(); err != nil {
		return err
	}
	if err := p.checkSpaceChange(); err != nil {
		return fmt.Errorf("record cluster space: %w", err)
	}
	p.mon.setInfo(p.info(), p.uplink)
	p.mon.setCounters(p.counters)
	p.mon.setClusters(len(p.clusters.Snapshot().Clusters), p.clusters.Observed())
	return nil
}

func (p *pipeline) openModelAndState() error {
	var err error
	if p.embedders, err = loadEmbedders(p.cfg); err != nil {
		return err
	}
	p.id = p.embedders[0].Identity()
	p.space = clusterSpace(p.id, p.cfg.Cluster.K) + reductionSuffix(p.cfg.Cluster)
	if err := checkPCADims(p.cfg.Cluster, p.id.Dims); err != nil {
		return err
	}
	if p.store, err = store.Open(p.cfg.StatePath, store.Options{Logger: p.base}); err != nil {
		return fmt.Errorf("state %s: %w", p.cfg.StatePath, err)
	}
	if p.pca, err = loadPCA(p.store, p.space, p.cfg.Cluster, p.id.Dims); err != nil {
		return err
	}
	if p.clusters, p.result.Resumed, err = loadClusters(p.store, p.space, p.cfg.Cluster,
		clusterDims(p.cfg.Cluster, p.id.Dims)); err != nil {
		return err
	}
	if p.counters, err = loadCounters(p.store, p.space); err != nil {
		return err
	}
	if p.epoch, err = loadEpoch(p.store); err != nil {
		return err
	}
	if p.nextFrame, err = loadFrameID(p.store); err != nil {
		return err
	}
	reset, err := loadReset(p.store)
	if err != nil {
		return err
	}
	p.resetSummary, p.resetFrame = reset.Summary, reset.Frame
	if p.labels, err = loadLabels(p.store, p.space); err != nil {
		return err
	}
	if err := p.openExemplars(); err != nil {
		return fmt.Errorf("load exemplars: %w", err)
	}
	p.knownIDs = map[int]bool{}
	for _, c := range p.clusters.Snapshot().Clusters {
		p.knownIDs[c.ID] = true
	}
	p.window = quality.NewWindow(p.cfg.Summary.Sample)
	if !p.result.Resumed {
		p.warnOtherSpaces()
	}
	p.log.Info("state loaded", "path", p.cfg.StatePath, "space", p.space,
		"resumed", p.result.Resumed, "observed", p.clusters.Observed())
	return nil
}

// warnOtherSpaces logs the cluster spaces a new space leaves untouched, as
// after a change of model or cluster.k.
func (p *pipeline) warnOtherSpaces() {
	spaces, err := p.store.Spaces()
	if err != nil || len(spaces) == 0 {
		return
	}
	p.log.Warn("model, cluster.k or PCA changed, starting new clusters; stored ones are kept",
		"space", p.space, "stored_spaces", spaces)
}

func (p *pipeline) openUplink() error {
	if p.cfg.MQTT.Broker == "" {
		p.log.Info("mqtt.broker not set, summaries stay on the device")
		return nil
	}
	// The broker sends the will long after it is made, so it carries no
	// time: the hub applies a status without a time whatever it holds.
	lastWill := p.status(wire.StateOffline)
	lastWill.Time = time.Time{}
	will, err := wire.Encode(lastWill)
	if err != nil {
		return err
	}
	p.uplink, err = uplink.New(p.uplinkOptions(will))
	if err != nil {
		return err
	}
	p.uplink.Start()
	p.publishStatus(wire.StateOnline)
	return nil
}

func (p *pipeline) topic(kind string) string {
	return wire.Topic(p.cfg.MQTT.Prefix, p.cfg.DeviceID, kind)
}

// loop reads, embeds and observes frames in batches of one per worker.
func (p *pipeline) loop(ctx context.Context) error {
	p.log.Info("starting", "source", p.cfg.Source.name(), "kind", p.cfg.Source.kind(),
		"gate", p.gate != nil, "workers", len(p.embedders),
		"model", p.id.Name, "dims", p.id.Dims)
	p.lastSum = p.clock.Now()
	p.idle = newIdleRefiner(p.cfg.Refine, p.lastSum)
	p.startReader(ctx)
	defer p.stopReader()
	for {
		batch, end := p.readBatch(ctx)
		// A batch after a gap of refine.idle or more means frames arrive
		// slower than one per refine.idle.
		idle := len(batch) > 0 && p.idle.due(p.clock.Now())
		if err := p.step(batch); err != nil {
			return err
		}
		if err := p.applyCommands(); err != nil {
			return err
		}
		if idle {
			p.refineIdle(ctx)
		}
		p.noteFrames(len(batch))
		if end != nil {
			return p.handleEnd(ctx, end)
		}
	}
}

// noteFrames records when the latest batch of n frames was embedded.
func (p *pipeline) noteFrames(n int) {
	if n > 0 && p.idle != nil {
		p.idle.lastFrame = p.clock.Now()
	}
}

// handleEnd decides what the end of the source or a cancellation means.
func (p *pipeline) handleEnd(ctx context.Context, end error) error {
	switch {
	case errors.Is(end, io.EOF) && p.opts.Once:
		p.log.Info("source ended", "frames", p.counters.Seen)
		return nil
	case errors.Is(end, io.EOF):
		p.log.Info("source ended, waiting for stop", "frames", p.counters.Seen)
		if err := p.summarizeIfChanged(); err != nil {
			return err
		}
		return p.serveCommands(ctx)
	case ctx.Err() != nil:
		return nil
	}
	return fmt.Errorf("read source: %w", end)
}

// readBatch reads up to one frame per worker. It returns the decoded frames
// and, when reading stopped, the error that stopped it. Corrupt frames are
// counted, logged and skipped.
func (p *pipeline) readBatch(ctx context.Context) ([]item, error) {
	var batch []item
	for len(batch) < len(p.embedders) {
		f, err := p.readFrame(ctx)
		if errors.Is(err, sensors.ErrCorruptFrame) {
			p.countSeen(1)
			p.counters.Corrupt++
			p.frameLog.warn(p.log, p.clock.Now(), "frame skipped", "seq", f.Seq, "err", err,
				"corrupt_total", p.counters.Corrupt)
			continue
		}
		if err != nil {
			return batch, err
		}
		if p.gated(f) {
			// A live source in a static scene may gate every frame for
			// hours, so the summary interval is checked here too.
			if p.summaryDue() {
				return batch, nil
			}
			continue
		}
		batch = append(batch, item{frame: f, id: p.countSeen(1)})
	}
	return batch, nil
}

// embedBatch embeds the frames in parallel and observes them in order.
func (p *pipeline) embedBatch(batch []item) error {
	vecs := make([][]float32, len(batch))
	errs := make([]error, len(batch))
	var wg sync.WaitGroup
	for i := range batch {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			start := p.clock.Now()
			vecs[i], errs[i] = p.embedders[i].Embed(batch[i].frame.Image)
			p.mon.observeInference(p.clock.Now().Sub(start))
		}(i)
	}
	wg.Wait()
	for i, it := range batch {
		if errs[i] != nil {
			p.counters.Corrupt++
			p.frameLog.warn(p.log, p.clock.Now(), "frame not embedded", "seq", it.frame.Seq,
				"err", errs[i])
			continue
		}
		if err := p.observeEmbedding(it, vecs[i]); err != nil {
			return err
		}
	}
	return nil
}

// observe adds one embedding to the clusters and the quality window.
func (p *pipeline) observe(it item, vec []float32) error {
	f := it.frame
	wasSeeded := p.clusters.Seeded()
	events := p.clusters.Events()
	a, err := p.clusters.Observe(vec, f.Time, it.id)
	if err != nil {
		p.rejectEmbedding(it, err)
		return nil
	}
	p.counters.Embedded++
	p.sinceSum++
	p.window.Add(vec)
	p.followLineage(events)
	p.offerExemplar(it, it.embedding, a)
	if !p.clusters.Seeded() {
		p.pending = append(p.pending, pendingFrame{f.Seq, f.Time, vec})
		return nil
	}
	if !wasSeeded {
		p.log.Info("clusters seeded", "observed", p.clusters.Observed())
		if err := p.flushPending(); err != nil {
			return err
		}
	}
	return p.writeAssignment(f.Seq, a)
}

// flushPending writes assignments of the frames buffered before seeding.
func (p *pipeline) flushPending() error {
	for _, pf := range p.pending {
		a, err := p.clusters.Nearest(pf.vec)
		if err != nil {
			return err
		}
		p.exemplars.Count(a.Cluster, pf.at)
		if err := p.writeAssignment(pf.seq, a); err != nil {
			return err
		}
	}
	p.pending = nil
	return nil
}

func (p *pipeline) writeAssignment(seq uint64, a cluster.Assignment) error {
	if p.opts.Assignments == nil {
		return nil
	}
	_, err := fmt.Fprintf(p.opts.Assignments, "%d,%d,%.6f\n", seq, a.Cluster, a.Distance)
	if err != nil {
		return fmt.Errorf("write assignments: %w", err)
	}
	return nil
}
