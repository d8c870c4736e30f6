package daemon

import (
	"fmt"

	"github.com/edgecluster/edgecluster/edge/cluster"
	"github.com/edgecluster/edgecluster/edge/exemplar"
	"github.com/edgecluster/edgecluster/edge/store"
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
	jpeg, err := exemplar.Thumbnail(it.frame.Image, cfg.ThumbnailSide, cfg.Quality)
	if err != nil {
		p.frameLog.warn(p.log, p.clock.Now(), "thumbnail failed", "seq", it.frame.Seq,
			"err", err)
		return
	}
	p.exemplars.Add(slot, store.Exemplar{Frame: it.id, Time: it.frame.Time.UTC(),
		Vector: vec, JPEG: jpeg})
}

// followLineage moves the exemplars of clusters merged since the model had
// recorded before lineage events.
func (p *pipeline) followLineage(before uint64) {
	added := p.clusters.Events() - before
	if added == 0 {
		return
	}
	events := p.clusters.Lineage()
	start := max(0, len(events)-int(added))
	for _, e := range events[start:] {
		if e.Kind == cluster.LineageMerge && len(e.From) == 2 {
			p.exemplars.Merge(e.From[1], e.Into)
		}
	}
}
