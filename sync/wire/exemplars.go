package wire

import (
	"bytes"
	"fmt"
	"time"
)

// KindExemplars is the topic kind of Exemplars messages.
const KindExemplars = "exemplars"

// CmdSendExemplars requests that a device send every exemplar it stores again,
// or those of one cluster when the command names one.
const CmdSendExemplars = "send_exemplars"

// Limits of exemplar messages and hourly counts.
const (
	// MaxThumbnailBytes bounds one JPEG thumbnail.
	MaxThumbnailBytes = 64 << 10

	// MaxExemplarsPerMessage bounds the exemplars of one message.
	MaxExemplarsPerMessage = 256

	// MaxHours bounds the hourly counts of one cluster in a summary: 31
	// days.
	MaxHours = 31 * 24

	// MaxDims bounds the length of an exemplar's embedding.
	MaxDims = 1 << 16
)

// Exemplars carries thumbnails and embeddings of sample frames of a
// device's clusters. Devices send them on the exemplars topic as they keep
// new ones, and all of them again for a send_exemplars command. A device
// splits them into several messages so that each stays within
// MaxPayloadBytes.
type Exemplars struct {
	V      int       `json:"v"`
	Device string    `json:"device"`
	Epoch  string    `json:"epoch,omitempty"`
	Seq    uint64    `json:"seq"`
	Time   time.Time `json:"time"`

	// Model identifies the model of the embeddings.
	Model Model `json:"model"`

	Items []Exemplar `json:"exemplars"`
}

// Exemplar is one sample frame of a cluster.
type Exemplar struct {
	Cluster int       `json:"cluster"`
	Frame   uint64    `json:"frame"` // device frame number, as in Cluster.Exemplars
	Time    time.Time `json:"time"`
	JPEG    []byte    `json:"jpeg"` // base64 in JSON
	Vector  Vector    `json:"vector"`
}

// Hourly holds a cluster's frame counts of consecutive UTC hours.
type Hourly struct {
	// Start is the first hour counted, a whole UTC hour.
	Start time.Time `json:"start"`

	// Counts holds one frame count per hour from Start on.
	Counts []uint64 `json:"counts"`
}

// jpegMagic starts every JPEG file (the SOI marker and the next marker's
// 0xFF).
var jpegMagic = []byte{0xFF, 0xD8, 0xFF}

// DecodeExemplars parses and checks an Exemplars message.
func DecodeExemplars(data []byte) (Exemplars, error) {
	if len(data) > MaxPayloadBytes {
		return Exemplars{}, fmt.Errorf("%w: %d bytes, limit %d", ErrMalformed, len(data),
			MaxPayloadBytes)
	}
	var m Exemplars
	if err := decode(data, &m); err != nil {
		return Exemplars{}, err
	}
	if err := checkDevice(m.Device, "exemplars"); err != nil {
		return Exemplars{}, err
	}
	if len(m.Items) > MaxExemplarsPerMessage {
		return Exemplars{}, fmt.Errorf("%w: %d exemplars, at most %d", ErrMalformed,
			len(m.Items), MaxExemplarsPerMessage)
	}
	for _, e := range m.Items {
		if err := checkExemplar(e, m.Model.Dims); err != nil {
			return Exemplars{}, err
		}
	}
	return m, nil
}

func checkExemplar(e Exemplar, dims int) error {
	where := fmt.Sprintf("exemplar %d of cluster %d", e.Frame, e.Cluster)
	if err := checkClusterID(e.Cluster, "exemplar cluster"); err != nil {
		return err
	}
	switch {
	case len(e.JPEG) > MaxThumbnailBytes:
		return fmt.Errorf("%w: %s: thumbnail of %d bytes, limit %d", ErrMalformed, where,
			len(e.JPEG), MaxThumbnailBytes)
	case !bytes.HasPrefix(e.JPEG, jpegMagic):
		return fmt.Errorf("%w: %s: thumbnail is not a JPEG file", ErrMalformed, where)
	case len(e.Vector) != dims || dims > MaxDims:
		return fmt.Errorf("%w: %s: embedding has %d values, model has %d", ErrMalformed,
			where, len(e.Vector), dims)
	}
	return checkFinite(e.Vector, where+" embedding")
}

// checkHourly rejects hourly counts that are too long or do not start on a
// whole UTC hour.
func checkHourly(id int, h *Hourly) error {
	if h == nil {
		return nil
	}
	if len(h.Counts) > MaxHours {
		return fmt.Errorf("%w: cluster %d has %d hourly counts, at most %d", ErrMalformed, id,
			len(h.Counts), MaxHours)
	}
	if !h.Start.Equal(h.Start.Truncate(time.Hour)) {
		return fmt.Errorf("%w: cluster %d hourly start %v is not a whole hour", ErrMalformed,
			id, h.Start)
	}
	return nil
}
