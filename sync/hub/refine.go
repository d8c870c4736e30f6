package hub

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/edgecluster/edgecluster/edge/dec"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// Bounds of a refinement at the hub. One DEC step costs about 2 ×
// exemplars × clusters × dims multiply-adds, up to 4·10⁹ at these bounds,
// so large inputs rely on the timeout.
const (
	MaxRefineClusters  = 256
	MaxRefineDims      = 2048
	MaxRefineExemplars = MaxExemplarsPerDevice

	// MinRefineExemplars is how many exemplars per cluster, on average, a
	// refinement needs.
	MinRefineExemplars = 2

	// DefaultRefineTimeout bounds a refinement when RefineOptions.Timeout
	// is 0.
	DefaultRefineTimeout = 30 * time.Second
)

// Refinement errors. A returned error wraps one of them.
var (
	// ErrRefineInput marks a device whose stored summary and exemplars
	// cannot be refined. The message names the value and the fix.
	ErrRefineInput = errors.New("hub: refinement not possible")

	// ErrRefineTimeout marks a refinement that ran out of time. Nothing
	// was sent to the device.
	ErrRefineTimeout = errors.New("hub: refinement timed out")
)

// Refinement states.
const (
	RefineSent     = "sent"     // published, no reply yet
	RefineApplied  = "applied"  // the device moved its centroids
	RefineRejected = "rejected" // the device rejected it, see Error

	// RefineNone is the state the refinement endpoint serves for a known
	// device without a refinement since the hub started.
	RefineNone = "none"
)

// RefineOptions sets RefineCentroids. The zero value uses the defaults.
type RefineOptions struct {
	// Timeout bounds the DEC run. 0 means DefaultRefineTimeout.
	Timeout time.Duration
}

// Refinement is the hub's record of the latest refinement of a device's
// centroids.
type Refinement struct {
	ID        string    `json:"id"` // command and refinement id
	Device    string    `json:"device"`
	Time      time.Time `json:"time"`
	Summary   uint64    `json:"summary"` // sequence number of the starting summary
	Clusters  int       `json:"clusters"`
	Exemplars int       `json:"exemplars"`
	Steps     int       `json:"steps"`
	Converged bool      `json:"converged"`

	// KLStart and KLEnd are KL(P‖Q) over the exemplars at the first
	// target update with the starting centroids, and at the last one with
	// the refined centroids.
	KLStart float64 `json:"kl_start"`
	KLEnd   float64 `json:"kl_end"`

	State string `json:"state"` // RefineSent, RefineApplied, RefineRejected or RefineNone
	Moved int    `json:"moved"` // clusters the device moved, from its reply
	Error string `json:"error,omitempty"`

	// Source is wire.RefineSourceHub for RefineCentroids, or
	// wire.RefineSourceIdle for a device's own idle refinement, which the
	// hub learns of from its refine event. The DEC fields above stay zero
	// for an idle refinement.
	Source string `json:"source"`

	// MovedClusters and MaxShift come from the device's refine event: the
	// ids whose centroids moved and the largest distance one moved.
	MovedClusters []int   `json:"moved_clusters,omitempty"`
	MaxShift      float64 `json:"max_shift,omitempty"`
}

// RefineCentroids runs DEC over the stored exemplar embeddings of device,
// starting from the centroids of its latest summary, and sends the refined
// centroids to the device as a refine_centroids command. DEC moves only
// the centroids (dec.Refine), because an autoencoder trained on a few
// exemplars per cluster would overfit and its code space is not the
// device's cluster space.
//
// NOTE: DEC measures Euclidean distances, also for a device that
// clusters with the cosine metric, which summaries do not name.
//
// It returns an error wrapping ErrNotFound for an unknown device,
// ErrRefineInput when the summary or exemplars do not allow a refinement,
// and ErrRefineTimeout when DEC ran out of time. The device's reply sets
// the record's State later; Refinements returns it.
func (h *Hub) RefineCentroids(ctx context.Context, device string, opts RefineOptions) (
	Refinement, error) {
	d, err := h.store.device(device)
	if err != nil {
		return Refinement{}, err
	}
	in, err := h.refineInput(d)
	if err != nil {
		return Refinement{}, err
	}
	res, err := runRefine(ctx, in, opts)
	if err != nil {
		h.log.Warn("refinement failed", "device", device, "err", err)
		return Refinement{}, err
	}
	rec := Refinement{ID: h.newCommandID("refine"), Device: device, Time: h.now(),
		Summary: in.summary.Seq, Clusters: len(in.ids), Exemplars: len(in.samples),
		Steps: res.Steps, Converged: res.Converged, State: RefineSent,
		Source: wire.RefineSourceHub}
	if n := len(res.Intervals); n > 0 {
		rec.KLStart, rec.KLEnd = res.Intervals[0].KLStart, res.Intervals[n-1].KLEnd
		if res.Converged {
			// dec.Refine dropped the move of the last interval, so the
			// refined centroids give the loss at that interval's start.
			rec.KLEnd = res.Intervals[n-1].KLStart
		}
	}
	if err := h.sendRefinement(rec, in, res.Centroids); err != nil {
		return Refinement{}, err
	}
	h.mu.Lock()
	h.refinements[device] = rec
	h.mu.Unlock()
	return rec, nil
}

// runRefine runs DEC within the timeout.
func runRefine(ctx context.Context, in refineInput, opts RefineOptions) (
	dec.RefineResult, error) {
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultRefineTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	res, err := dec.Refine(in.samples, in.centroids, dec.RefineConfig{
		Continue: func() bool { return ctx.Err() == nil }})
	if err != nil {
		return res, fmt.Errorf("%w: %w", ErrRefineInput, err)
	}
	if res.Stopped {
		return res, fmt.Errorf("%w: DEC stopped after %d steps at the %v timeout, and "+
			"nothing was sent; raise the timeout or wait for fewer exemplars", ErrRefineTimeout,
			res.Steps, timeout)
	}
	return res, nil
}

// sendRefinement publishes the refine_centroids command of rec and waits
// for the broker's PUBACK.
func (h *Hub) sendRefinement(rec Refinement, in refineInput, centroids [][]float64) error {
	s := in.summary
	r := wire.Refinement{ID: rec.ID, Epoch: s.Epoch, Space: s.Space, Model: s.Model,
		Reduction: s.Reduction, Summary: s.Seq, Embedded: s.Frames.Embedded}
	for i, id := range in.ids {
		r.Clusters = append(r.Clusters, wire.RefinedCluster{ID: id,
			Centroid: toVector(centroids[i]), Base: toVector(in.centroids[i])})
	}
	payload, err := wire.EncodeRefine(rec.ID, r)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrRefineInput, err)
	}
	topic := wire.CommandTopic(h.opts.Prefix, rec.Device, wire.CmdRefineCentroids)
	tok := h.client.Publish(topic, 1, false, payload)
	if !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		return fmt.Errorf("hub: publish refinement %s to %s: not acknowledged by the "+
			"broker: %v", rec.ID, rec.Device, tok.Error())
	}
	h.log.Info("refinement sent", "device", rec.Device, "id", rec.ID, "summary", s.Seq,
		"clusters", rec.Clusters, "exemplars", rec.Exemplars, "steps", rec.Steps,
		"kl_start", rec.KLStart, "kl_end", rec.KLEnd, "bytes", len(payload))
	return nil
}

// Refinements returns the latest refinement of each device that had one
// since the hub started.
//
// NOTE: the records live in memory, so a hub restart loses them. The
// devices' lineage keeps every applied refinement.
func (h *Hub) Refinements() map[string]Refinement {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make(map[string]Refinement, len(h.refinements))
	for k, v := range h.refinements {
		out[k] = v
	}
	return out
}

// applyRefineReply records the device's reply to the latest refinement.
// A reply to an older refinement is logged by ingestReply and ignored.
func (h *Hub) applyRefineReply(r wire.Reply) {
	h.mu.Lock()
	defer h.mu.Unlock()
	rec, ok := h.refinements[r.Device]
	if !ok || rec.ID != r.ID {
		return
	}
	rec.State, rec.Moved, rec.Error = RefineApplied, r.Moved, ""
	if !r.OK {
		rec.State, rec.Error = RefineRejected, r.Error
	}
	h.refinements[r.Device] = rec
}

// applyRefineEvent records the device's refine event: an idle refinement
// becomes the device's latest refinement, and a hub refinement adds the
// moved ids and shift to its record.
func (h *Hub) applyRefineEvent(e wire.Event) {
	if e.Type != wire.EventRefine || e.Refinement == "" {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	rec, ok := h.refinements[e.Device]
	switch {
	case ok && rec.ID == e.Refinement:
		rec.State, rec.Moved, rec.Error = RefineApplied, len(e.Moved), ""
	case e.Source == wire.RefineSourceIdle && (!ok || !e.Time.Before(rec.Time)):
		// The time check keeps an event resent by a resync from replacing
		// a newer record.
		rec = Refinement{ID: e.Refinement, Device: e.Device, Time: e.Time,
			Source: e.Source, State: RefineApplied, Moved: len(e.Moved)}
	default:
		return // a refinement older than the latest record
	}
	rec.MovedClusters, rec.MaxShift = e.Moved, e.MaxShift
	h.refinements[e.Device] = rec
	h.log.Info("refinement applied", "device", e.Device, "refinement", e.Refinement,
		"source", e.Source, "moved", len(e.Moved), "max_shift", e.MaxShift)
}

func toVector(v []float64) wire.Vector {
	out := make(wire.Vector, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}
