package wire

import (
	"fmt"
	"time"
)

// Event types.
const (
	// EventClusterNew reports a cluster id that the previous summary did
	// not contain.
	EventClusterNew = "cluster_new"

	// EventClusterMerged reports a cluster id of the previous summary that
	// the new one lacks: the model merged it into its nearest cluster to
	// make room for a new one.
	EventClusterMerged = "cluster_merged"

	// EventReset reports that the device started new clusters in the same
	// state file: a reset command cleared them, or a model, cluster.k or
	// PCA change switched the cluster space. Cluster ids restart, so
	// labels and exemplars of earlier clusters no longer apply. Reason gives
	// the cause and Frame the first frame id of the new clusters.
	EventReset = "reset"

	// EventNoveltyBurst reports that several clusters appeared between two
	// summaries: the camera sees a burst of new kinds of scene. Count holds
	// how many.
	EventNoveltyBurst = "novelty_burst"

	// EventRefine reports an applied refinement that moved centroids.
	// Refinement, Source, Moved and MaxShift describe it.
	EventRefine = "refine"
)

// Sources of a refinement, in EventRefine.
const (
	RefineSourceHub  = "hub"  // a refine_centroids command
	RefineSourceIdle = "idle" // the device's own idle refinement
)

// Event is a notable change on a device. Events are numbered by their own
// per-device sequence, separate from summaries.
type Event struct {
	V       int       `json:"v"`
	Device  string    `json:"device"`
	Epoch   string    `json:"epoch,omitempty"`
	Seq     uint64    `json:"seq"`
	Time    time.Time `json:"time"`
	Type    string    `json:"type"`
	Cluster *int      `json:"cluster,omitempty"`
	Count   int       `json:"count,omitempty"`

	// Into is, for EventClusterMerged, the id of the cluster that holds the
	// merged cluster's frames now. It is absent when the device no longer
	// keeps the merge in its lineage.
	Into *int `json:"into,omitempty"`

	// Refinement is, for EventRefine, the id of the refinement: the
	// command id for RefineSourceHub, "idle-" and a Unix time in
	// milliseconds for RefineSourceIdle.
	Refinement string `json:"refinement,omitempty"`

	// Source is, for EventRefine, RefineSourceHub or RefineSourceIdle.
	Source string `json:"source,omitempty"`

	// Moved is, for EventRefine, the ids of the clusters whose centroids
	// moved, in ascending order.
	Moved []int `json:"moved,omitempty"`

	// MaxShift is, for EventRefine, the largest Euclidean distance that a
	// centroid moved, in the units of the cluster space.
	MaxShift float64 `json:"max_shift,omitempty"`

	// Reason is, for EventReset, ResetCommand or ResetSpace. Devices that
	// predate it send none, which means ResetCommand.
	Reason string `json:"reason,omitempty"`

	// Frame is, for EventReset, the first frame id of the new clusters.
	// Frame ids keep increasing across resets within an epoch, so
	// exemplars with lower frame ids belong to earlier clusters. Devices
	// that predate it send none, and their frame ids restart at 0.
	Frame *uint64 `json:"frame,omitempty"`
}

// Reasons of an EventReset.
const (
	// ResetCommand is a reset command.
	ResetCommand = "command"

	// ResetSpace is a switch to another cluster space after a change of
	// model, cluster.k or PCA.
	ResetSpace = "space"
)

// Reply is the response to one command, sent on PREFIX/DEVICE/cmd-reply. Replies are
// numbered by their own per-device sequence.
type Reply struct {
	V       int    `json:"v"`
	Device  string `json:"device"`
	Seq     uint64 `json:"seq"`
	ID      string `json:"id"`
	Command string `json:"command"`
	OK      bool   `json:"ok"`
	Error   string `json:"error,omitempty"`

	// Kind, Resent and Oldest are set for a resync: the kind requested, how many messages were queued
	// again and the lowest sequence number the device still keeps for
	// that kind (0 when it keeps none). For send_exemplars, Resent is the
	// number of exemplars queued.
	Kind   string `json:"kind,omitempty"`
	Resent int    `json:"resent,omitempty"`
	Oldest uint64 `json:"oldest,omitempty"`

	// Moved is, for refine_centroids, the number of clusters whose
	// centroids changed.
	Moved int `json:"moved,omitempty"`
}

// DecodeEvent parses and checks an Event.
func DecodeEvent(data []byte) (Event, error) {
	var e Event
	if err := decode(data, &e); err != nil {
		return Event{}, err
	}
	if err := checkDevice(e.Device, "event"); err != nil {
		return Event{}, err
	}
	return e, checkRefineEvent(e)
}

// checkRefineEvent rejects refinement fields that no device sends.
func checkRefineEvent(e Event) error {
	if len(e.Moved) > MaxClusters {
		return fmt.Errorf("%w: refine event lists %d moved clusters, limit %d", ErrMalformed,
			len(e.Moved), MaxClusters)
	}
	if e.Refinement != "" && !validID(e.Refinement) {
		return fmt.Errorf("%w: refine event \"refinement\" %q must be 1-%d printable "+
			"characters", ErrMalformed, e.Refinement, MaxIDLen)
	}
	if e.Source != "" && e.Source != RefineSourceHub && e.Source != RefineSourceIdle {
		return fmt.Errorf("%w: refine event source %q, want %q or %q", ErrMalformed, e.Source,
			RefineSourceHub, RefineSourceIdle)
	}
	if e.MaxShift < 0 {
		return fmt.Errorf("%w: refine event max_shift %g is negative", ErrMalformed,
			e.MaxShift)
	}
	return nil
}

// DecodeReply parses and checks a Reply.
func DecodeReply(data []byte) (Reply, error) {
	var r Reply
	if err := decode(data, &r); err != nil {
		return Reply{}, err
	}
	return r, checkDevice(r.Device, "reply")
}
