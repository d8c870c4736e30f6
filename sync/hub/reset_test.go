package hub

import (
	"testing"

	"github.com/edgecluster/edgecluster/sync/wire"
)

// TestResetArchivesEarlierExemplars sends device "cam" a reset at frame 10
// between exemplars 5 and 6 and exemplar 12, with exemplar 7 from before
// the reset arriving late, then sends the reset event again.
func TestResetArchivesEarlierExemplars(t *testing.T) {
	forEachStore(t, testResetArchivesEarlierExemplars)
}

func testResetArchivesEarlierExemplars(t *testing.T, state Options) {
	h, _ := uiHub(t, state)
	ingestSummaryInEpoch(t, h, "aaaa")
	ingestExemplarsInEpoch(t, h, "aaaa", [2]int{1, 5}, [2]int{1, 6})
	if _, err := h.SetExemplarLabel("cam", 1, 5, "door", "ann"); err != nil {
		t.Fatal(err)
	}
	ingestResetEvent(t, h, 1, 10)
	ingestExemplarsInEpoch(t, h, "aaaa", [2]int{1, 7}, [2]int{1, 12})
	ingestResetEvent(t, h, 1, 10)

	stored, err := h.store.exemplars("cam")
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != 1 || stored[0].Frame != 12 {
		t.Errorf("current exemplars = %+v, want frame 12 only", stored)
	}
	archived := archivedExemplars(t, h, "cam/aaaa.reset-1/")
	if len(archived) != 2 || archived[0].Frame != 5 || archived[1].Frame != 6 {
		t.Errorf("archived exemplars = %+v, want frames 5 and 6", archived)
	}
	labels, err := h.Labels("cam")
	if err != nil {
		t.Fatal(err)
	}
	if len(labels) != 1 {
		t.Fatalf("labels = %+v, want the one exemplar label", labels)
	}
	if labels[0].State != LabelRetired {
		t.Errorf("label state %q after a reset, want %q", labels[0].State, LabelRetired)
	}
	if labels[0].Author != retiredByReset {
		t.Errorf("label author %q after a reset, want %q", labels[0].Author, retiredByReset)
	}
	d, err := h.Device("cam")
	if err != nil {
		t.Fatal(err)
	}
	if d.ResetFrame != 10 {
		t.Errorf("device reset frame %d, want 10", d.ResetFrame)
	}
}

func ingestExemplarsInEpoch(t *testing.T, h *Hub, epoch string, pairs ...[2]int) {
	t.Helper()
	m := exemplarsMessage(t, pairs...)
	m.Epoch = epoch
	if err := h.ingestExemplars(m); err != nil {
		t.Fatal(err)
	}
}

func ingestResetEvent(t *testing.T, h *Hub, seq, frame uint64) {
	t.Helper()
	e := wire.Event{V: wire.Version, Device: "cam", Epoch: "aaaa", Seq: seq,
		Type: wire.EventReset, Reason: wire.ResetCommand, Frame: &frame}
	data, err := wire.Encode(e)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.ingest(wire.Topic(wire.DefaultPrefix, "cam", wire.KindEvent), data); err != nil {
		t.Fatal(err)
	}
}
