package hub

import (
	"encoding/json"
	"testing"

	"github.com/edgecluster/edgecluster/sync/hub/kv"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// TestExemplarsOfNewStateFile restarts device "cam" with a new state file.
// Its first exemplar of the new epoch reuses frame 5 and arrives before the
// summary that names the new epoch.
func TestExemplarsOfNewStateFile(t *testing.T) {
	forEachStore(t, testExemplarsOfNewStateFile)
}

func testExemplarsOfNewStateFile(t *testing.T, state Options) {
	h, _ := uiHub(t, state)
	ingestSummaryInEpoch(t, h, "aaaa")
	old := exemplarsMessage(t, [2]int{1, 5}, [2]int{1, 6})
	old.Epoch = "aaaa"
	restarted := exemplarsMessage(t, [2]int{2, 5})
	restarted.Epoch = "bbbb"
	for _, m := range []wire.Exemplars{old, restarted} {
		if err := h.ingestExemplars(m); err != nil {
			t.Fatal(err)
		}
	}
	ingestSummaryInEpoch(t, h, "bbbb")

	d, err := h.Device("cam")
	if err != nil {
		t.Fatal(err)
	}
	current := h.deviceExemplars(d)
	if len(current) != 1 || current[0].Frame != 5 || current[0].Cluster != 2 {
		t.Errorf("current exemplars = %+v, want frame 5 of cluster 2 only", current)
	}
	stored, err := h.store.exemplars("cam")
	if err != nil || len(stored) != 1 {
		t.Errorf("store keeps %d exemplars (err %v), want the 1 of epoch bbbb", len(stored), err)
	}
	archived := archivedExemplars(t, h, "cam/aaaa/")
	if len(archived) != 2 || archived[0].Cluster != 1 || archived[0].Frame != 5 ||
		archived[1].Frame != 6 {
		t.Errorf("archived exemplars = %+v, want frames 5 and 6 of cluster 1", archived)
	}
}

func ingestSummaryInEpoch(t *testing.T, h *Hub, epoch string) {
	t.Helper()
	s := wire.Summary{V: wire.Version, Device: "cam", Epoch: epoch, Seq: 1,
		Model:    wire.Model{Name: "m", SHA256: "abc", Dims: 2},
		Clusters: []wire.Cluster{{ID: 1, Count: 1}}, Frames: wire.Counters{Seen: 1, Embedded: 1}}
	data, err := wire.Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.ingest(wire.Topic(wire.DefaultPrefix, "cam", wire.KindSummary), data); err != nil {
		t.Fatal(err)
	}
}

// archivedExemplars returns the archived exemplars whose keys start with
// prefix, in key order.
func archivedExemplars(t *testing.T, h *Hub, prefix string) []storedExemplar {
	t.Helper()
	var out []storedExemplar
	err := h.store.db.View(func(tx kv.Tx) error {
		b := tx.Bucket(exemplarArchiveBucket)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Seek([]byte(prefix)); k != nil && string(k[:min(len(k),
			len(prefix))]) == prefix; k, v = c.Next() {
			var e storedExemplar
			if err := json.Unmarshal(v, &e); err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
