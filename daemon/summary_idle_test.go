package daemon

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/internal/mqtttest"
	"github.com/edgecluster/edgecluster/sync/hub"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// TestIdleDeviceSummaryReachesHub runs the daemon without Options.Once over
// a clip whose length is no multiple of summary.every_frames, and checks
// that the hub shows every frame while the daemon still runs.
func TestIdleDeviceSummaryReachesHub(t *testing.T) {
	broker := mqtttest.Start(t)
	srv := startTestHub(t, broker.URL)
	cfg := testConfig(t, writeClip(t, clipFrames(t, 0, 25)), filepath.Join(t.TempDir(), "s.db"))
	cfg.MQTT.Broker = broker.URL
	stop := runInBackground(t, cfg)
	defer stop()

	client := &hub.Client{BaseURL: srv.URL}
	var last []hub.DeviceInfo
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		devs, err := client.Devices(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(devs) == 1 && devs[0].Frames.Embedded == 25 {
			if devs[0].State != wire.StateOnline {
				t.Errorf("device state %q, want online while the daemon runs", devs[0].State)
			}
			return
		}
		last = devs
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("hub never showed 25 embedded frames while the daemon ran: %+v", last)
}

// TestIdleDeviceSummaryAfterLabel checks that a label set after the source
// ended reaches a summary while the daemon still runs, and that the idle
// daemon publishes nothing when nothing changed.
func TestIdleDeviceSummaryAfterLabel(t *testing.T) {
	broker := mqtttest.Start(t)
	peer := newPeer(t, broker.URL)
	cfg := testConfig(t, writeClip(t, clipFrames(t, 0, 20)), filepath.Join(t.TempDir(), "s.db"))
	cfg.MQTT.Broker = broker.URL
	stop := runInBackground(t, cfg)
	defer stop()
	before := len(peer.wait(t, wire.KindSummary, 2))

	peer.send(t, wire.CmdLabel, `{"v":1,"id":"l1","cluster":1,"label":"door"}`)
	if r := peer.replies(t, 1)["l1"]; !r.OK {
		t.Fatalf("label reply %+v, want ok", r)
	}
	sums := peer.wait(t, wire.KindSummary, before+1)
	s, err := wire.DecodeSummary(sums[before])
	if err != nil {
		t.Fatal(err)
	}
	if got := labelOf(s, 1); got != "door" {
		t.Errorf("summary after the label names cluster 1 %q, want door", got)
	}
	if s.Frames.Embedded != 20 {
		t.Errorf("summary after the label has %d embedded frames, want 20", s.Frames.Embedded)
	}

	peer.send(t, wire.CmdConfig, `{"v":1,"id":"c1","set":{"summary.sample":64}}`)
	peer.replies(t, 2)
	time.Sleep(500 * time.Millisecond)
	if n := len(peer.wait(t, wire.KindSummary, 1)); n != before+1 {
		t.Errorf("%d summaries after a command that changed no cluster, want %d", n, before+1)
	}
}

func labelOf(s wire.Summary, id int) string {
	for _, c := range s.Clusters {
		if c.ID == id {
			return c.Label
		}
	}
	return fmt.Sprintf("<no cluster %d>", id)
}

// TestStatusOutboxAfterSummary checks that the status sent after a summary
// counts the outbox after the summary was delivered, not before.
func TestStatusOutboxAfterSummary(t *testing.T) {
	broker := mqtttest.Start(t)
	peer := newPeer(t, broker.URL)
	cfg := testConfig(t, writeClip(t, clipFrames(t, 0, 20)), filepath.Join(t.TempDir(), "s.db"))
	cfg.MQTT.Broker = broker.URL
	stop := runInBackground(t, cfg)
	defer stop()
	peer.wait(t, wire.KindSummary, 2)

	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, data := range peer.wait(t, wire.KindStatus, 1) {
			st, err := wire.DecodeStatus(data)
			if err != nil {
				t.Fatal(err)
			}
			if st.LastSeq != 2 {
				continue
			}
			if st.OutboxLen != 0 || st.OutboxBytes != 0 {
				t.Errorf("status after summary 2 has outbox %d messages, %d bytes; want 0",
					st.OutboxLen, st.OutboxBytes)
			}
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("no status naming summary 2 within 10 s")
}

// TestGatedFramesStillSummarize replays distinct frames followed by copies
// of the last one, which the scene-change gate skips, and checks that a
// summary was published while the skipped frames arrived.
func TestGatedFramesStillSummarize(t *testing.T) {
	broker := mqtttest.Start(t)
	peer := newPeer(t, broker.URL)
	var frames [][]byte
	for i := 0; i < 12; i++ {
		frames = append(frames, clipFrames(t, i*38, i*38+1)[0])
	}
	for i := 0; i < 30; i++ {
		frames = append(frames, frames[11])
	}
	cfg := testConfig(t, writeClip(t, frames), filepath.Join(t.TempDir(), "s.db"))
	cfg.MQTT.Broker = broker.URL
	cfg.Gate.Threshold = 4
	cfg.Summary = SummaryConfig{EveryFrames: 1000, Interval: duration{5 * time.Second}}
	opts := testOptions()
	opts.Clock = &stepClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), tick: time.Second}
	res, err := Run(context.Background(), cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Frames.Gated < 30 {
		t.Fatalf("gate skipped %d frames, want at least the 30 copies", res.Frames.Gated)
	}

	var gated []uint64
	for _, data := range peer.wait(t, wire.KindSummary, res.Summaries) {
		s, err := wire.DecodeSummary(data)
		if err != nil {
			t.Fatal(err)
		}
		gated = append(gated, s.Frames.Gated)
		if s.Frames.Gated > 0 && s.Frames.Gated < res.Frames.Gated {
			return
		}
	}
	t.Errorf("summaries counted %v gated frames, want one published between 0 and %d",
		gated, res.Frames.Gated)
}
