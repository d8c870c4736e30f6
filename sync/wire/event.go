package wire

import "time"

// Event types.
const (
	// EventClusterNew reports a cluster id that the previous summary did
	// not contain.
	EventClusterNew = "cluster_new"

	// EventClusterMerged reports a cluster id of the previous summary that
	// the new one lacks: the model merged it into its nearest cluster to
	// make room for a new one.
	EventClusterMerged = "cluster_merged"

	// EventReset reports that a reset command cleared the clusters.
	EventReset = "reset"

	// EventNoveltyBurst reports that several clusters appeared between two
	// summaries: the camera sees a burst of new kinds of scene. Count holds
	// how many.
	EventNoveltyBurst = "novelty_burst"
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
}

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
	return e, checkDevice(e.Device, "event")
}

// DecodeReply parses and checks a Reply.
func DecodeReply(data []byte) (Reply, error) {
	var r Reply
	if err := decode(data, &r); err != nil {
		return Reply{}, err
	}
	return r, checkDevice(r.Device, "reply")
}
