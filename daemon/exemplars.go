package daemon

import (
	"fmt"
	"math"
	"time"

	"github.com/edgecluster/edgecluster/edge/cluster"
	"github.com/edgecluster/edgecluster/edge/exemplar"
	"github.com/edgecluster/edgecluster/edge/store"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// ExemplarsConfig sets the per-cluster exemplars (thumbnails of sample
// frames with their embeddings) and hourly counts kept in the state file.
// edge/exemplar documents which frames are kept and which are evicted.
type ExemplarsConfig struct {
	// BudgetBytes bounds the bytes of the thumbnails and embeddings of all
	// exemplars. 0 means 1 MiB and a negative value keeps no exemplars.
	BudgetBytes int64 `toml:"budget_bytes"`

	// PerCluster bounds the exemplars of one cluster. 0 means 16.
	PerCluster int `toml:"per_cluster"`

	// HourlyRetention is the number of UTC hours of per-cluster counts
	// kept. 0 means 168 (a week).
	HourlyRetention int `toml:"hourly_retention"`

	// ThumbnailSide is the longest side of a thumbnail in pixels. 0 means 96.
	ThumbnailSide int `toml:"thumbnail_side"`

	// Quality is the JPEG quality of a thumbnail, 1-100. 0 means 70.
	Quality int `toml:"quality"`
}

func (ec ExemplarsConfig) set() exemplar.Config {
	return exemplar.Config{BudgetBytes: ec.BudgetBytes, PerCluster: ec.PerCluster,
		HourlyRetention: ec.HourlyRetention, ThumbnailSide: ec.ThumbnailSide,
		Quality: ec.Quality}
}

func (ec ExemplarsConfig) validate(ck *checker) {
	if err := ec.set().Validate(); err != nil {
		ck.check(true, "exemplars", "%s", err)
		return
	}
	if err := ec.set().CheckFit(wire.MaxThumbnailBytes); err != nil {
		ck.check(true, "exemplars", "%s", err)
	}
}

// openExemplars drops the exemplars of other cluster spaces, which a model
// or cluster.k change left behind, and loads those of the current space.
// The other spaces' clusters and hourly counts stay in the file.
func (p *pipeline) openExemplars() error {
	spaces, err := p.store.Spaces()
	if err != nil {
		return err
	}
	for _, space := range spaces {
		if space == p.space {
			continue
		}
		freed, err := p.store.DropExemplars(space)
		if err != nil {
			return fmt.Errorf("drop exemplars of space %s: %w", space, err)
		}
		if freed > 0 {
			p.log.Info("exemplars of an old cluster space dropped", "space", space,
				"bytes", freed)
		}
	}
	return p.loadExemplars()
}

func (p *pipeline) loadExemplars() error {
	stored, err := p.store.Exemplars(p.space)
	if err != nil {
		return err
	}
	hourly, err := p.store.HourlyCounts(p.space)
	if err != nil {
		return err
	}
	seen := map[int]uint64{}
	for _, c := range p.clusters.Snapshot().Clusters {
		seen[c.ID] = c.Count
	}
	p.exemplars = exemplar.NewSet(p.cfg.Exemplars.set(), stored, hourly, seen, nil)
	return nil
}

// offerExemplar counts an assigned frame by hour and, when the reservoir
// keeps it, stores its thumbnail and embedding.
func (p *pipeline) offerExemplar(it item, vec []float32, a cluster.Assignment) {
	if a.Cluster < 0 {
		return
	}
	slot := p.exemplars.Offer(a.Cluster, it.frame.Time)
	if !slot.Keep {
		return
	}
	cfg := p.exemplars.Config()
	jpeg, err := exemplar.FitThumbnail(it.frame.Image, cfg.ThumbnailSide, cfg.Quality,
		wire.MaxThumbnailBytes)
	if err != nil {
		p.skippedThumbs++
		p.frameLog.warn(p.log, p.clock.Now(), "exemplar skipped, thumbnail failed",
			"seq", it.frame.Seq, "skipped_total", p.skippedThumbs, "err", err)
		return
	}
	p.exemplars.Add(slot, store.Exemplar{Frame: it.id, Time: it.frame.Time.UTC(),
		Vector: vec, JPEG: jpeg})
}

// followLineage moves the exemplars of clusters merged or split since the
// model had recorded before lineage events.
func (p *pipeline) followLineage(before uint64) {
	added := p.clusters.Events() - before
	if added == 0 {
		return
	}
	events := p.clusters.Lineage()
	start := max(0, len(events)-int(added))
	for _, e := range events[start:] {
		switch {
		case e.Kind == cluster.LineageMerge && len(e.From) == 2:
			p.exemplars.Merge(e.From[1], e.Into)
		case e.Kind == cluster.LineageSplit && len(e.From) == 1:
			p.followSplit(e.From[0], e.Into)
		}
	}
}

// followSplit moves the exemplars of cluster from whose embeddings are
// nearer the centroid of the new cluster into than the centroid of from.
func (p *pipeline) followSplit(from, into int) {
	centroids := map[int][]float32{}
	for _, c := range p.clusters.Snapshot().Clusters {
		centroids[c.ID] = c.Centroid
	}
	old, cur := centroids[from], centroids[into]
	if old == nil || cur == nil {
		return
	}
	metric := p.clusters.Config().Metric
	p.exemplars.Split(from, into, func(e store.Exemplar) bool {
		if len(e.Vector) != len(old) {
			return false
		}
		return metric.Distance(e.Vector, cur) < metric.Distance(e.Vector, old)
	})
}

// exemplarMessageBytes bounds the estimated JSON size of one exemplars
// message, half of wire.MaxPayloadBytes to leave room for the estimate's
// error.
const exemplarMessageBytes = wire.MaxPayloadBytes / 2

// publishExemplars queues the exemplars kept since the previous call.
func (p *pipeline) publishExemplars() {
	unsent := p.exemplars.TakeUnsent()
	if p.uplink == nil {
		return
	}
	p.sendExemplars(unsent)
}

// sendExemplars queues exemplars in as many messages as the limits need.
func (p *pipeline) sendExemplars(list []store.Exemplar) {
	for _, part := range splitExemplars(list, exemplarMessageBytes) {
		p.enqueueExemplars(part)
	}
}

// splitExemplars splits list into parts of at most
// wire.MaxExemplarsPerMessage exemplars and about maxBytes of JSON. A part
// holds at least one exemplar.
func splitExemplars(list []store.Exemplar, maxBytes int) [][]store.Exemplar {
	var parts [][]store.Exemplar
	for len(list) > 0 {
		n, size := 0, 0
		for n < len(list) && n < wire.MaxExemplarsPerMessage {
			size += exemplarJSONBytes(list[n])
			if n > 0 && size > maxBytes {
				break
			}
			n++
		}
		parts = append(parts, list[:n])
		list = list[n:]
	}
	return parts
}

// exemplarJSONBytes estimates the JSON size of an exemplar: base64 of the
// thumbnail and of the half-precision embedding, and the other fields.
func exemplarJSONBytes(e store.Exemplar) int {
	return (len(e.JPEG)+2*len(e.Vector))*4/3 + 200
}

func (p *pipeline) enqueueExemplars(list []store.Exemplar) {
	seq, err := p.store.NextSequence(wire.KindExemplars)
	if err != nil {
		p.log.Error("exemplars not sent", "count", len(list), "err", err)
		return
	}
	m := wire.Exemplars{V: wire.Version, Device: p.cfg.DeviceID, Epoch: p.epoch, Seq: seq,
		Time:  p.clock.Now().UTC(),
		Model: wire.Model{Name: p.id.Name, SHA256: p.id.SHA256, Dims: p.id.Dims}}
	for _, e := range list {
		m.Items = append(m.Items, wire.Exemplar{Cluster: e.Cluster, Frame: e.Frame,
			Time: e.Time.UTC(), JPEG: e.JPEG, Vector: e.Vector})
	}
	p.enqueue(wire.KindExemplars, seq, m)
}

// resendExemplars queues every stored exemplar, or those of one cluster
// when cluster is not -1, and returns how many. Exemplar messages still
// queued are replaced when every exemplar is sent again.
func (p *pipeline) resendExemplars(cluster int) int {
	if cluster < 0 && p.uplink != nil {
		if _, err := p.uplink.Discard(p.topic(wire.KindExemplars)); err != nil {
			p.log.Error("queued exemplars not replaced", "err", err)
		}
	}
	var list []store.Exemplar
	for _, e := range p.exemplars.All() {
		if cluster < 0 || e.Cluster == cluster {
			list = append(list, e)
		}
	}
	p.sendExemplars(list)
	return len(list)
}

// clusterExemplars returns the frame ids a summary lists for cluster id:
// its stored exemplars, or its latest frames while it has none.
func (p *pipeline) clusterExemplars(id int, latest []uint64) []uint64 {
	if frames := p.exemplars.Frames(id); len(frames) > 0 {
		return frames
	}
	return latest
}

// hourlyCounts returns the hourly counts of cluster id as consecutive hours
// up to its latest counted hour, at most wire.MaxHours of them.
func (p *pipeline) hourlyCounts(id int) *wire.Hourly {
	h := p.exemplars.Hourly(id)
	if len(h) == 0 {
		return nil
	}
	first, last := int64(math.MaxInt64), int64(math.MinInt64)
	for hour := range h {
		first, last = min(first, hour), max(last, hour)
	}
	first = max(first, last-wire.MaxHours+1)
	out := &wire.Hourly{Start: time.Unix(first*3600, 0).UTC()}
	for hour := first; hour <= last; hour++ {
		out.Counts = append(out.Counts, h[hour])
	}
	return out
}
