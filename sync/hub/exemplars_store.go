package hub

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/edgecluster/edgecluster/sync/hub/kv"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// exemplarsBucket keeps one JSON storedExemplar per key DEVICE/FRAME, the
// frame as 20 decimal digits so that keys sort by frame. Frame numbers
// start again with a new state file, so exemplars of an older epoch move to
// exemplarArchiveBucket before the new ones take their keys.
var exemplarsBucket = []byte("exemplars")

// Bounds of the exemplars the hub keeps. Past MaxExemplarsPerCluster for a
// cluster, or MaxExemplarsPerDevice for a device, the lowest frame numbers
// go first.
const (
	MaxExemplarsPerCluster = 64
	MaxExemplarsPerDevice  = 4096
)

// storedExemplar is the hub's record of one exemplar of a device.
type storedExemplar struct {
	Epoch   string      `json:"epoch,omitempty"`
	Model   string      `json:"model"` // SHA-256 of the embedding model
	Cluster int         `json:"cluster"`
	Frame   uint64      `json:"frame"`
	Time    time.Time   `json:"time"`
	JPEG    []byte      `json:"jpeg"`
	Vector  wire.Vector `json:"vector"`
}

func exemplarKey(device string, frame uint64) []byte {
	return fmt.Appendf(nil, "%s/%020d", device, frame)
}

// putExemplars stores the exemplars of m and trims the device's exemplars
// to the bounds, in one transaction. It skips exemplars of frames before
// the device's latest reset, which arrive late when messages are resent.
func (s *store) putExemplars(m wire.Exemplars) error {
	return s.db.Update(func(tx kv.Tx) error {
		b := tx.Bucket(exemplarsBucket)
		resetFrame, err := currentResetFrame(tx, m.Device, m.Epoch)
		if err != nil {
			return err
		}
		for _, e := range m.Items {
			if e.Frame < resetFrame {
				continue // shows a cluster from before the latest reset
			}
			v, err := json.Marshal(storedExemplar{Epoch: m.Epoch, Model: m.Model.SHA256,
				Cluster: e.Cluster, Frame: e.Frame, Time: e.Time, JPEG: e.JPEG, Vector: e.Vector})
			if err != nil {
				return err
			}
			key := exemplarKey(m.Device, e.Frame)
			if err := archiveExemplar(tx, m.Device, b.Get(key), m.Epoch); err != nil {
				return err
			}
			if err := b.Put(key, v); err != nil {
				return err
			}
		}
		return trimExemplars(b, m.Device)
	})
}

// currentResetFrame returns the Device.ResetFrame of device when epoch is
// its current epoch, and 0 otherwise.
func currentResetFrame(tx kv.Tx, device, epoch string) (uint64, error) {
	v := tx.Bucket(devicesBucket).Get([]byte(device))
	if v == nil {
		return 0, nil
	}
	var d Device
	if err := json.Unmarshal(v, &d); err != nil {
		return 0, fmt.Errorf("hub: stored device %s: %w", device, err)
	}
	if d.Epoch != epoch {
		return 0, nil
	}
	return d.ResetFrame, nil
}

// trimExemplars deletes the lowest frames of each cluster of device beyond
// MaxExemplarsPerCluster, then of the device beyond MaxExemplarsPerDevice.
func trimExemplars(b kv.Bucket, device string) error {
	var keys [][]byte
	perCluster := map[int]int{}
	var drop [][]byte
	err := forEachExemplar(b, device, func(k []byte, e storedExemplar) error {
		keys = append(keys, k)
		perCluster[e.Cluster]++
		return nil
	})
	if err != nil {
		return err
	}
	// Keys run from the lowest frame up, so the first ones over a bound go.
	left := len(keys)
	err = forEachExemplar(b, device, func(k []byte, e storedExemplar) error {
		if perCluster[e.Cluster] > MaxExemplarsPerCluster || left > MaxExemplarsPerDevice {
			drop = append(drop, k)
			perCluster[e.Cluster]--
			left--
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range drop {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// forEachExemplar calls fn with a copy of each key of device and its
// decoded exemplar, in frame order.
func forEachExemplar(b kv.Bucket, device string, fn func([]byte, storedExemplar) error) error {
	prefix := []byte(device + "/")
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var e storedExemplar
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("hub: stored exemplar %s: %w", k, err)
		}
		if err := fn(slices.Clone(k), e); err != nil {
			return err
		}
	}
	return nil
}

// exemplar returns one stored exemplar of device, or ErrNotFound.
func (s *store) exemplar(device string, frame uint64) (storedExemplar, error) {
	var e storedExemplar
	err := s.db.View(func(tx kv.Tx) error {
		b := tx.Bucket(exemplarsBucket)
		var v []byte
		if b != nil {
			v = b.Get(exemplarKey(device, frame))
		}
		if v == nil {
			return fmt.Errorf("%w: exemplar %d of device %q", ErrNotFound, frame, device)
		}
		return json.Unmarshal(v, &e)
	})
	return e, err
}

// exemplars returns the stored exemplars of device in frame order.
func (s *store) exemplars(device string) ([]storedExemplar, error) {
	var out []storedExemplar
	err := s.db.View(func(tx kv.Tx) error {
		b := tx.Bucket(exemplarsBucket)
		if b == nil {
			return nil
		}
		var err error
		out, err = s.decoded.read(b, device)
		return err
	})
	return out, err
}
