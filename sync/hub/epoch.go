package hub

import (
	"fmt"

	"github.com/edgecluster/edgecluster/sync/hub/kv"
)

var archiveBucket = []byte("archive")

// switchEpoch starts a fresh history for d when a message names another
// epoch than the stored one: the device's state file was replaced and its
// sequence numbers start again from 1. The old history moves to
// archive/EPOCH/DEVICE and exemplars of other epochs to the exemplar
// archive, so nothing stored is lost. A device without a stored epoch,
// such as one whose earlier messages carried none, adopts the first epoch
// it sends without an archive. It reports whether it switched.
func switchEpoch(tx kv.Tx, d *Device, epoch string) (bool, error) {
	if epoch == "" || epoch == d.Epoch {
		return false, nil
	}
	if d.Epoch == "" {
		d.Epoch = epoch
		return false, nil
	}
	if err := archiveHistory(tx, d.ID, d.Epoch); err != nil {
		return false, err
	}
	if err := archiveExemplars(tx, d.ID, epoch); err != nil {
		return false, err
	}
	d.Epoch = epoch
	d.Summary = nil
	d.Summaries, d.Events = Sequence{}, Sequence{}
	d.ResetFrame = 0
	return true, nil
}

// archiveHistory moves history/DEVICE to archive/EPOCH/DEVICE.
func archiveHistory(tx kv.Tx, device, epoch string) error {
	history := tx.Bucket(historyBucket)
	if history.Bucket([]byte(device)) == nil {
		return nil
	}
	if epoch == "" {
		epoch = "unknown"
	}
	archive, err := tx.CreateBucketIfNotExists(archiveBucket)
	if err != nil {
		return err
	}
	// An epoch seen twice (a state file put back) archives again under
	// EPOCH.2, EPOCH.3, ... rather than overwriting the earlier archive.
	name := epoch
	for n := 2; ; n++ {
		dst, err := archive.CreateBucketIfNotExists([]byte(name))
		if err != nil {
			return err
		}
		if dst.Bucket([]byte(device)) == nil {
			return tx.MoveBucket([]byte(device), history, dst)
		}
		name = fmt.Sprintf("%s.%d", epoch, n)
	}
}
