package daemon

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/edgecluster/edgecluster/edge/cluster"
	"github.com/edgecluster/edgecluster/edge/quality"
	"github.com/edgecluster/edgecluster/sync/uplink"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// commandQueue is how many validated commands may wait for the pipeline.
// A command that arrives when it is full is rejected with a reply.
const commandQueue = 16

// labelsKey is the store meta key of the cluster labels of a cluster space.
func labelsKey(space string) string { return "labels/" + space }

// onCommand runs on the MQTT client's goroutine. It validates a command
// and hands it to the pipeline, which applies it between frames, so the
// clusters keep a single writer. Rejected commands are logged and get a failed reply.
func (p *pipeline) onCommand(topic string, payload []byte) {
	name, ok := wire.CommandName(p.cfg.MQTT.Prefix, p.cfg.DeviceID, topic)
	if !ok {
		p.log.Warn("command rejected", "topic", topic, "err", "topic is not PREFIX/DEVICE/cmd/NAME")
		return
	}
	cmd, err := wire.ParseCommand(name, payload)
	if err != nil {
		p.log.Warn("command rejected", "command", name, "id", cmd.ID, "bytes", len(payload),
			"err", err)
		p.reply(wire.Reply{ID: cmd.ID, Command: name, Error: err.Error()})
		return
	}
	select {
	case p.commands <- cmd:
	default:
		p.log.Warn("command rejected, queue full", "command", name, "id", cmd.ID,
			"queue", commandQueue)
		p.reply(wire.Reply{ID: cmd.ID, Command: name,
			Error: "command queue full: the device is busy, send the command again later"})
	}
}

// reply numbers r and queues it on the cmd-reply topic.
func (p *pipeline) reply(r wire.Reply) {
	seq, err := p.store.NextSequence("reply")
	if err != nil {
		p.log.Error("reply not sent", "command", r.Command, "id", r.ID, "err", err)
		return
	}
	r.V, r.Device, r.Seq = wire.Version, p.cfg.DeviceID, seq
	p.enqueue(wire.KindReply, seq, r)
}

// enqueue encodes v and queues it on the device topic of kind.
func (p *pipeline) enqueue(kind string, seq uint64, v any) {
	data, err := wire.Encode(v)
	if err == nil {
		// Exemplars can be sent again on request, so they go first when
		// the outbox is full.
		err = p.uplink.Enqueue(uplink.Message{Topic: p.topic(kind), Payload: data, Seq: seq,
			Expendable: kind == wire.KindExemplars})
	}
	if err != nil {
		p.log.Error("message not queued", "kind", kind, "seq", seq, "err", err)
	}
}

// applyCommands applies every waiting command. It returns an error only
// when the state file cannot be written.
func (p *pipeline) applyCommands() error {
	for {
		select {
		case cmd := <-p.commands:
			if err := p.apply(cmd); err != nil {
				return err
			}
		default:
			return nil
		}
	}
}

// serveCommands applies commands as they arrive, and runs idle
// refinements when they are due, until ctx is done. After either, it
// publishes a summary at the next summary.interval if the state changed.
func (p *pipeline) serveCommands(ctx context.Context) error {
	for {
		var due <-chan time.Time // nil, so never ready, with idle refinement off
		if p.idle != nil {
			due = p.clock.After(p.idle.wait(p.clock.Now()))
		}
		select {
		case <-ctx.Done():
			return nil
		case cmd := <-p.commands:
			p.idleChanges = true
			if err := p.apply(cmd); err != nil {
				return err
			}
		case <-due:
			if p.idle.due(p.clock.Now()) {
				p.idleChanges = true
				p.refineIdle(ctx)
			}
		case <-p.idleSummaryTimer():
			if err := p.summarizeIfChanged(); err != nil {
				return err
			}
		}
	}
}

// idleSummaryTimer fires when summary.interval has passed since the last
// summary, or never when no command or refinement ran since then.
func (p *pipeline) idleSummaryTimer() <-chan time.Time {
	if !p.idleChanges {
		return nil
	}
	next := p.lastSum.Add(p.cfg.Summary.Interval.Duration)
	return p.clock.After(max(next.Sub(p.clock.Now()), time.Millisecond))
}

// apply runs one validated command and sends its reply.
func (p *pipeline) apply(cmd wire.Command) error {
	r := wire.Reply{ID: cmd.ID, Command: cmd.Name, OK: true}
	var err error
	switch cmd.Name {
	case wire.CmdLabel:
		err = p.setLabel(cmd.Cluster, cmd.Label)
	case wire.CmdReset:
		err = p.reset()
	case wire.CmdResync:
		r.Kind = cmd.Kind
		r.Resent, r.Oldest, err = p.uplink.Resend(p.topic(cmd.Kind), cmd.From)
	case wire.CmdConfig:
		p.changeConfig(cmd.Set)
	case wire.CmdSendExemplars:
		r.Resent = p.resendExemplars(cmd.Cluster)
	case wire.CmdRefineCentroids:
		r.Moved, err = p.refineCommand(cmd.Refine)
	}
	if err != nil {
		r.OK, r.Error = false, err.Error()
	}
	p.log.Info("command applied", "command", cmd.Name, "id", cmd.ID, "ok", r.OK, "err", r.Error)
	p.reply(r)
	if cmd.Name == wire.CmdReset && err != nil {
		return err
	}
	return nil
}

// setLabel names a cluster in later summaries. An empty label removes it.
func (p *pipeline) setLabel(id int, label string) error {
	if !p.hasCluster(id) {
		return fmt.Errorf("cluster %d not found: use an id from the latest summary", id)
	}
	if label == "" {
		delete(p.labels, id)
	} else {
		p.labels[id] = label
	}
	return p.saveLabels()
}

func (p *pipeline) hasCluster(id int) bool {
	for _, c := range p.clusters.Snapshot().Clusters {
		if c.ID == id {
			return true
		}
	}
	return false
}

func (p *pipeline) saveLabels() error {
	data, err := json.Marshal(p.labels)
	if err == nil {
		err = p.store.SetMeta(labelsKey(p.space), data)
	}
	if err != nil {
		return fmt.Errorf("save labels: %w", err)
	}
	return nil
}

// reset starts new clusters and frame counters, commits them and reports
// the reset as an event. Sequence numbers and frame ids continue, so the
// hub can tell exemplars of the new clusters from earlier ones.
func (p *pipeline) reset() error {
	if err := p.markReset(); err != nil {
		return err
	}
	m, err := cluster.New(clusterConfig(p.cfg.Cluster), clusterDims(p.cfg.Cluster, p.id.Dims))
	if err != nil {
		return err
	}
	p.clusters, p.counters = m, wire.Counters{}
	p.window = quality.NewWindow(p.cfg.Summary.Sample)
	p.pending, p.sinceSum, p.knownIDs = nil, 0, nil
	p.labels = map[int]string{}
	p.exemplars.Reset()
	if err := p.commit(); err != nil {
		return err
	}
	if err := p.saveLabels(); err != nil {
		return err
	}
	p.resetEvent(wire.ResetCommand)
	return nil
}

// changeConfig applies summary settings until the daemon stops. The config
// file is not rewritten.
func (p *pipeline) changeConfig(set wire.ConfigChange) {
	s := &p.cfg.Summary
	if set.EveryFrames != nil {
		s.EveryFrames = *set.EveryFrames
	}
	if set.Interval != nil {
		s.Interval.Duration = *set.Interval
	}
	if set.Sample != nil && *set.Sample != s.Sample {
		s.Sample = *set.Sample
		p.window = quality.NewWindow(s.Sample)
	}
	p.log.Info("config changed", "summary.every_frames", s.EveryFrames,
		"summary.interval", s.Interval.Duration, "summary.sample", s.Sample)
}

// event numbers and queues one event about a cluster.
func (p *pipeline) event(typ string, clusterID *int) {
	p.emit(wire.Event{Type: typ, Cluster: clusterID})
}

// emit fills in the header of e, numbers it and queues it.
func (p *pipeline) emit(e wire.Event) {
	if p.uplink == nil {
		return
	}
	seq, err := p.store.NextSequence("event")
	if err != nil {
		p.log.Error("event not sent", "type", e.Type, "err", err)
		return
	}
	e.V, e.Device, e.Epoch, e.Seq = wire.Version, p.cfg.DeviceID, p.epoch, seq
	e.Time = p.clock.Now().UTC().Truncate(time.Millisecond)
	p.enqueue(wire.KindEvent, seq, e)
}

// noveltyBurstClusters is how many clusters new since the previous summary
// make a novelty burst. The first summary after seeding does not count,
// since all of its clusters are new.
const noveltyBurstClusters = 3

// clusterEvents reports clusters of s that the previous summary lacked,
// clusters of the previous summary that s lacks because they merged, and
// a novelty burst when noveltyBurstClusters or more are new.
func (p *pipeline) clusterEvents(s wire.Summary) {
	seen := make(map[int]bool, len(s.Clusters))
	fresh := 0
	for _, c := range s.Clusters {
		seen[c.ID] = true
		if !p.knownIDs[c.ID] {
			id := c.ID
			p.event(wire.EventClusterNew, &id)
			p.announceCluster(id)
			fresh++
		}
	}
	if isNoveltyBurst(len(p.knownIDs), fresh) {
		p.noveltyBurst(fresh)
	}
	survivors := cluster.Survivors(p.clusters.Lineage())
	for _, id := range sortedIDs(p.knownIDs) {
		if seen[id] {
			continue
		}
		var into *int
		if s, ok := survivors[id]; ok {
			into = &s
		}
		p.emit(wire.Event{Type: wire.EventClusterMerged, Cluster: &id, Into: into})
	}
	p.knownIDs = seen
}

// isNoveltyBurst reports whether fresh new clusters after a summary that
// had known clusters make a novelty burst.
func isNoveltyBurst(known, fresh int) bool {
	return known > 0 && fresh >= noveltyBurstClusters
}

// noveltyBurst queues a novelty_burst event for n new clusters.
func (p *pipeline) noveltyBurst(n int) {
	p.log.Info("novelty burst", "new_clusters", n)
	p.emit(wire.Event{Type: wire.EventNoveltyBurst, Count: n})
}

func sortedIDs(set map[int]bool) []int {
	ids := make([]int, 0, len(set))
	for id := range set {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	return ids
}
