package hub

import (
	"encoding/json"
	"fmt"

	"github.com/edgecluster/edgecluster/sync/hub/kv"
)

// exemplarArchiveBucket keeps the exemplars of a device's earlier state
// files, one JSON storedExemplar per key DEVICE/EPOCH/FRAME, the frame as
// 20 decimal digits. A state file put back archives under its own epoch
// again, where the same frame is the same exemplar. Exemplars of clusters
// before a reset event use EPOCH.reset-SEQ in place of EPOCH, SEQ being the
// event's sequence number.
var exemplarArchiveBucket = []byte("exemplar-archive")

// archiveExemplars moves every exemplar of device that names an epoch other
// than epoch from the exemplars bucket to the archive.
func archiveExemplars(tx kv.Tx, device, epoch string) error {
	b := tx.Bucket(exemplarsBucket)
	var old [][]byte
	err := forEachExemplar(b, device, func(k []byte, e storedExemplar) error {
		if e.Epoch != "" && e.Epoch != epoch {
			old = append(old, k)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range old {
		if err := archiveExemplar(tx, device, b.Get(k), epoch); err != nil {
			return err
		}
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// archiveExemplar copies the stored exemplar v of device to the archive
// when it names an epoch other than epoch. A nil v, or one of epoch or of
// no epoch, is not archived, because the new exemplar replaces it.
func archiveExemplar(tx kv.Tx, device string, v []byte, epoch string) error {
	if v == nil || epoch == "" {
		return nil
	}
	var e storedExemplar
	if err := json.Unmarshal(v, &e); err != nil {
		return fmt.Errorf("hub: invalid stored exemplar of device %q: %w", device, err)
	}
	if e.Epoch == "" || e.Epoch == epoch {
		return nil
	}
	archive, err := tx.CreateBucketIfNotExists(exemplarArchiveBucket)
	if err != nil {
		return err
	}
	return archive.Put(archivedExemplarKey(device, e), v)
}

func archivedExemplarKey(device string, e storedExemplar) []byte {
	return archiveKey(device, e.Epoch, e.Frame)
}

func archiveKey(device, name string, frame uint64) []byte {
	return fmt.Appendf(nil, "%s/%s/%020d", device, name, frame)
}

// archiveExemplarsBelow moves every current exemplar of device with a frame
// below limit to the archive under name, and returns how many it moved.
func archiveExemplarsBelow(tx kv.Tx, device, name string, limit uint64) (int, error) {
	b := tx.Bucket(exemplarsBucket)
	var old [][]byte
	var frames []uint64
	err := forEachExemplar(b, device, func(k []byte, e storedExemplar) error {
		if e.Frame < limit {
			old, frames = append(old, k), append(frames, e.Frame)
		}
		return nil
	})
	if err != nil || len(old) == 0 {
		return 0, err
	}
	archive, err := tx.CreateBucketIfNotExists(exemplarArchiveBucket)
	if err != nil {
		return 0, err
	}
	for i, k := range old {
		if err := archive.Put(archiveKey(device, name, frames[i]), b.Get(k)); err != nil {
			return 0, err
		}
		if err := b.Delete(k); err != nil {
			return 0, err
		}
	}
	return len(old), nil
}
