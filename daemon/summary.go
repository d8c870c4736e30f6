package daemon

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/edgecluster/edgecluster/edge/quality"
	"github.com/edgecluster/edgecluster/sync/uplink"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// maybeSummarize publishes a summary and commits state when force is set,
// when summary.every_frames frames were embedded since the last one, or
// when summary.interval has passed and the state changed.
func (p *pipeline) maybeSummarize(force bool) error {
	switch {
	case force || p.sinceSum >= p.cfg.Summary.EveryFrames:
		return p.summarize()
	case p.summaryDue():
		return p.summarizeIfChanged()
	}
	return nil
}

// summaryDue reports whether summary.interval has passed since the last
// summary or the last check that found nothing to publish.
func (p *pipeline) summaryDue() bool {
	return p.clock.Now().Sub(p.lastSum) >= p.cfg.Summary.Interval.Duration
}

// summarize commits state and publishes the exemplars and a summary.
func (p *pipeline) summarize() error {
	if err := p.commit(); err != nil {
		return err
	}
	p.sinceSum = 0
	p.lastSum = p.clock.Now()
	p.publishExemplars()
	return p.publishSummary()
}

// commit writes the clusters and counters in one transaction. A crash loses
// at most the frames observed since the previous commit, which is at most
// summary.every_frames frames or summary.interval of frames.
func (p *pipeline) commit() error {
	meta, err := p.commitMeta()
	if err != nil {
		return err
	}
	reduction, err := p.pca.encode()
	if err != nil {
		return err
	}
	now := p.clock.Now()
	changes := p.exemplars.Changes(now)
	changes.Reduction = reduction
	if _, err := p.store.CommitChanges(p.space, p.clusters.Snapshot(), meta, changes,
		now); err != nil {
		return fmt.Errorf("commit clusters and counters: %w", err)
	}
	p.exemplars.Committed()
	p.pca.committed()
	return nil
}

func (p *pipeline) publishSummary() error {
	if !p.clusters.Seeded() {
		return nil
	}
	seq, err := p.store.NextSequence("summary")
	if err != nil {
		return fmt.Errorf("summary sequence: %w", err)
	}
	s := p.summary(seq)
	p.result.Summaries++
	p.result.Clusters = len(s.Clusters)
	p.mon.summarized(len(s.Clusters), p.clusters.Observed())
	if p.uplink == nil {
		return nil
	}
	data, err := wire.Encode(s)
	if err != nil {
		return err
	}
	if err := p.uplink.Enqueue(uplink.Message{Topic: p.topic(wire.KindSummary),
		Payload: data, Seq: seq}); err != nil {
		return err
	}
	p.lastSeq = seq
	p.published = p.fingerprint()
	p.markSummary(seq)
	p.clusterEvents(s)
	p.publishStatus(wire.StateOnline)
	return nil
}

// summary builds a wire summary from the current clusters and window.
func (p *pipeline) summary(seq uint64) wire.Summary {
	snap := p.clusters.Snapshot()
	sil, db := p.scores()
	s := wire.Summary{
		V: wire.Version, Device: p.cfg.DeviceID, Epoch: p.epoch, Seq: seq,
		Time:      p.clock.Now().UTC(),
		Model:     wire.Model{Name: p.id.Name, SHA256: p.id.SHA256, Dims: p.id.Dims},
		Reduction: p.pca.wireReduction(),
		Space:     p.space,
		Frames:    p.counters,
		Quality: wire.Quality{Sample: p.window.Len(),
			Silhouette: overall(sil), DaviesBouldin: overall(db)},
	}
	for _, c := range snap.Clusters {
		s.Clusters = append(s.Clusters, wire.Cluster{
			ID: c.ID, Count: c.Count, FirstSeen: c.FirstSeen.UTC(), LastSeen: c.LastSeen.UTC(),
			Exemplars: p.clusterExemplars(c.ID, c.Exemplars), Hourly: p.hourlyCounts(c.ID),
			Centroid: c.Centroid, Label: p.labels[c.ID],
			Silhouette: perCluster(sil, c.ID), DaviesBouldin: perCluster(db, c.ID),
		})
	}
	return s
}

// scores labels the window's embeddings with their nearest cluster now and
// scores that labelling. A nil result means the score is undefined.
func (p *pipeline) scores() (sil, db *quality.Scores) {
	points := p.window.Points()
	labels := make([]int, len(points))
	for i, v := range points {
		a, err := p.clusters.Nearest(v)
		if err != nil {
			return nil, nil
		}
		labels[i] = a.Cluster
	}
	if s, err := quality.Silhouette(points, labels); err == nil {
		sil = &s
	} else if !errors.Is(err, quality.ErrTooFewClusters) {
		p.log.Warn("silhouette failed", "err", err)
	}
	if d, err := quality.DaviesBouldin(points, labels); err == nil {
		db = &d
	}
	return sil, db
}

func overall(s *quality.Scores) *float64 {
	if s == nil {
		return nil
	}
	v := s.Overall
	return &v
}

func perCluster(s *quality.Scores, id int) *float64 {
	if s == nil {
		return nil
	}
	v, ok := s.PerCluster[id]
	if !ok {
		return nil
	}
	return &v
}

func (p *pipeline) status(state string) wire.Status {
	st := wire.Status{V: wire.Version, Device: p.cfg.DeviceID, Epoch: p.epoch, State: state,
		Version: p.opts.Version, Started: p.started.UTC(), Time: p.clock.Now().UTC(),
		Model:  &wire.Model{Name: p.id.Name, SHA256: p.id.SHA256, Dims: p.id.Dims},
		Source: p.srcStatus}
	if p.uplink != nil {
		st.LastSeq = p.lastSeq
		withQueue(&st, p.uplink.Len(), p.uplink.Bytes(), p.uplink.Dropped(),
			p.uplink.DroppedExpendable())
	}
	return st
}

func withQueue(st *wire.Status, n int, size int64, dropped, expended uint64) {
	st.OutboxLen, st.OutboxBytes, st.Dropped, st.DroppedExemplars = n, size, dropped, expended
}

// publishStatus queues the status for the uplink, which fills in the
// outbox counts when it sends it, so they do not count the messages queued
// before it that it delivered first.
func (p *pipeline) publishStatus(state string) {
	st := p.status(state)
	log := p.log
	p.uplink.SetStatusFunc(func(q uplink.Queue) []byte {
		withQueue(&st, q.Len, q.Bytes, q.Dropped, q.DroppedExpendable)
		data, err := wire.Encode(st)
		if err != nil {
			log.Error("status encode failed", "err", err)
		}
		return data
	})
}

// signalDrainLimit bounds the outbox drain after a stop signal, so that a
// service manager's stop timeout is not reached while the broker is away.
const signalDrainLimit = 3 * time.Second

// shutdown publishes the final summary, commits, drains the outbox within
// mqtt.drain_timeout (at most signalDrainLimit after a stop signal) and
// closes everything.
func (p *pipeline) shutdown(signalled bool) error {
	err := p.maybeSummarize(true)
	p.result.Frames = p.counters
	if p.uplink != nil {
		limit := p.cfg.MQTT.DrainTimeout.Duration
		if signalled {
			limit = min(limit, signalDrainLimit)
		}
		err = errors.Join(err, p.drain(limit))
	}
	p.log.Info("stopped", "seen", p.counters.Seen, "embedded", p.counters.Embedded,
		"corrupt", p.counters.Corrupt, "summaries", p.result.Summaries)
	return errors.Join(err, p.closeAll())
}

func (p *pipeline) drain(limit time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	if err := p.uplink.Flush(ctx); err != nil {
		p.log.Warn("outbox not drained, kept for next start", "queued", p.uplink.Len(), "err", err)
	}
	final, _ := wire.Encode(p.status(wire.StateOffline))
	err := p.uplink.Close(final)
	p.uplink = nil
	return err
}

func (p *pipeline) closeAll() error {
	var errs []error
	if p.uplink != nil {
		errs = append(errs, p.uplink.Close(nil))
	}
	if p.source != nil {
		errs = append(errs, p.source.Close())
	}
	if p.store != nil {
		errs = append(errs, p.store.Close())
	}
	return errors.Join(errs...)
}
