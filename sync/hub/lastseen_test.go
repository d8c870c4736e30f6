package hub

import (
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/internal/clock"
	"github.com/edgecluster/edgecluster/internal/mqtttest"
	"github.com/edgecluster/edgecluster/sync/wire"
)

func replyPayload(device string, seq uint64) []byte {
	data, _ := wire.Encode(wire.Reply{V: wire.Version, Device: device, Seq: seq, ID: "c1",
		Command: wire.CmdConfig, OK: true})
	return data
}

// TestHubLastSeenFollowsReplies checks that a command reply moves the last
// seen time of a known device, and that a reply from an unknown device
// creates no row.
func TestHubLastSeenFollowsReplies(t *testing.T) {
	broker := mqtttest.Start(t)
	start := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	clk := clock.NewFake(start)
	opts := withState(Options{Broker: broker.URL, Clock: clk}, boltState(t))
	h, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	h.Start()
	t.Cleanup(func() { h.Close() })
	if !h.WaitConnected(5 * time.Second) {
		t.Fatal("hub did not connect")
	}
	time.Sleep(100 * time.Millisecond) // let the subscription settle
	pub := publisher(t, broker.URL)

	publish(t, pub, wire.Topic(wire.DefaultPrefix, "cam-1", wire.KindSummary), summary(1, 1))
	waitLastSeen(t, h, start)
	clk.Advance(time.Hour)
	publish(t, pub, wire.Topic(wire.DefaultPrefix, "cam-9", wire.KindReply),
		replyPayload("cam-9", 1))
	publish(t, pub, wire.Topic(wire.DefaultPrefix, "cam-1", wire.KindReply),
		replyPayload("cam-1", 1))
	waitLastSeen(t, h, start.Add(time.Hour))

	if _, err := h.store.device("cam-9"); err == nil {
		t.Error("a reply from an unknown device created a device row")
	}
}

// waitLastSeen waits until cam-1's last seen time is want.
func waitLastSeen(t *testing.T, h *Hub, want time.Time) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	var got time.Time
	for time.Now().Before(deadline) {
		if d, err := h.store.device("cam-1"); err == nil {
			got = d.LastSeen
			if got.Equal(want) {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("cam-1 last seen %v, want %v", got, want)
}
