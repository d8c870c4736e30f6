package wire

import (
	"encoding/json"
	"fmt"
	"time"
)

// Version is the schema version this build writes and reads.
const Version = 1

// Model identifies the embedding model that produced a device's clusters.
type Model struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Dims   int    `json:"dims"`
}

// Counters are a device's frame counts since its state was created.
type Counters struct {
	Seen     uint64 `json:"seen"`
	Embedded uint64 `json:"embedded"`
	Corrupt  uint64 `json:"corrupt"`

	// Gated counts frames skipped unembedded: over the frame-rate limit of a
	// live source, or too similar to the last embedded frame.
	Gated uint64 `json:"gated"`
}

// Status is the retained state of a device. The broker publishes the
// device's last will, a Status with State "offline", when it disappears.
type Status struct {
	V         int       `json:"v"`
	Device    string    `json:"device"`
	Epoch     string    `json:"epoch,omitempty"`
	State     string    `json:"state"` // "online" or "offline"
	Version   string    `json:"version,omitempty"`
	Model     *Model    `json:"model,omitempty"`
	Started   time.Time `json:"started,omitzero"`
	Time      time.Time `json:"time,omitzero"`
	OutboxLen int       `json:"outbox"`

	// OutboxBytes is the size of the waiting messages.
	OutboxBytes int64 `json:"outbox_bytes"`

	// Dropped counts summaries, events and other messages that are not
	// exemplars that the device dropped because its outbox was full, since
	// its state file was created.
	Dropped uint64 `json:"dropped"`

	// DroppedExemplars counts exemplar messages the device dropped, before
	// any other, because its outbox was full. A send_exemplars command
	// makes them again.
	DroppedExemplars uint64 `json:"dropped_exemplars,omitempty"`

	// LastSeq is the sequence number of the latest summary made, so the
	// hub can see summaries it has not received.
	LastSeq uint64 `json:"last_seq"`

	// Source is the state of a live frame source; nil for file replay.
	Source *SourceStatus `json:"source,omitempty"`
}

// SourceStatus is the state of a live frame source.
type SourceStatus struct {
	Name  string    `json:"name"`            // device path, URL without password, or program
	State string    `json:"state"`           // "up" or "down"
	Error string    `json:"error,omitempty"` // failure that took it down
	Since time.Time `json:"since,omitzero"`  // when it entered State
}

// Summary is a snapshot of a device's clusters.
type Summary struct {
	V      int    `json:"v"`
	Device string `json:"device"`

	// Epoch names the device's state file. A new state file gets a new
	// epoch and numbers its summaries and events from 1 again, so the hub
	// keys sequence numbers by (device, epoch).
	Epoch string    `json:"epoch,omitempty"`
	Seq   uint64    `json:"seq"`
	Time  time.Time `json:"time"`
	Model Model     `json:"model"`

	// Reduction is set when the centroids are in a reduced space instead
	// of the model's embedding space.
	Reduction *Reduction `json:"reduction,omitempty"`

	// Space is the device's name of its cluster space, which changes with
	// the model, cluster.k and the PCA settings. A refinement carries it
	// back, so the device can tell it was made for its current clusters.
	Space string `json:"space,omitempty"`

	Frames   Counters  `json:"frames"`
	Quality  Quality   `json:"quality"`
	Clusters []Cluster `json:"clusters"`
}

// Quality holds clustering scores over a sample of recent embeddings. A
// score is nil when it is undefined, as with fewer than two clusters.
type Quality struct {
	Sample        int      `json:"sample"`
	Silhouette    *float64 `json:"silhouette"`
	DaviesBouldin *float64 `json:"davies_bouldin"`
}

// Cluster describes one cluster of a Summary.
type Cluster struct {
	ID            int       `json:"id"`
	Label         string    `json:"label,omitempty"`
	Count         uint64    `json:"count"`
	Silhouette    *float64  `json:"silhouette"`
	DaviesBouldin *float64  `json:"davies_bouldin"`
	FirstSeen     time.Time `json:"first_seen"`
	LastSeen      time.Time `json:"last_seen"`
	Exemplars     []uint64  `json:"exemplars"`
	Centroid      Vector    `json:"centroid"`

	// Hourly holds the cluster's frame counts by UTC hour over the
	// device's retention; nil from devices that keep none.
	Hourly *Hourly `json:"hourly,omitempty"`
}

// Encode returns the JSON form of a payload.
func Encode(v any) ([]byte, error) {
	return json.Marshal(v)
}

// DecodeSummary parses and checks a Summary.
func DecodeSummary(data []byte) (Summary, error) {
	var s Summary
	if err := decode(data, &s); err != nil {
		return Summary{}, err
	}
	if !ValidDeviceID(s.Device) {
		return Summary{}, fmt.Errorf("%w: summary device id %q", ErrMalformed, s.Device)
	}
	if err := checkSummary(s); err != nil {
		return Summary{}, err
	}
	return s, nil
}

// DecodeStatus parses and checks a Status.
func DecodeStatus(data []byte) (Status, error) {
	var s Status
	if err := decode(data, &s); err != nil {
		return Status{}, err
	}
	if err := checkDevice(s.Device, "status"); err != nil {
		return Status{}, err
	}
	if s.State != StateOnline && s.State != StateOffline {
		return Status{}, fmt.Errorf("%w: status state %q, want %q or %q", ErrMalformed, s.State,
			StateOnline, StateOffline)
	}
	return s, nil
}

func checkDevice(id, what string) error {
	if !ValidDeviceID(id) {
		return fmt.Errorf("%w: %s device id %q", ErrMalformed, what, id)
	}
	return nil
}

// decode checks the schema version before decoding the whole payload.
func decode(data []byte, v any) error {
	var head struct {
		V *int `json:"v"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if head.V == nil {
		return fmt.Errorf("%w: missing schema version \"v\"", ErrMalformed)
	}
	if *head.V != Version {
		return fmt.Errorf("%w: v=%d, this build reads v=%d", ErrUnsupportedVersion, *head.V, Version)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return nil
}
