package daemon

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/internal/mqtttest"
	"github.com/edgecluster/edgecluster/sync/hub"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// TestResetAtHub runs a daemon through a real mosquitto to a hub, labels a
// cluster and an exemplar, resets the device, and runs it again on the
// same state file over other frames.
func TestResetAtHub(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the daemon twice through a broker")
	}
	broker := mqtttest.Start(t)
	h, srv := startHubServer(t, broker.URL)
	peer := newPeer(t, broker.URL)
	const firstFrames = 30
	cfg := testConfig(t, writeClip(t, clipFrames(t, 0, firstFrames)),
		filepath.Join(t.TempDir(), "s.db"))
	cfg.MQTT.Broker = broker.URL
	cfg.Exemplars = ExemplarsConfig{PerCluster: 4}

	stop := runInBackground(t, cfg)
	peer.wait(t, wire.KindSummary, 3)
	before := hubThumbnails(t, srv.URL, waitForExemplars(t, srv.URL, cfg.DeviceID, 3))
	cluster, frame := firstExemplar(t, srv.URL, cfg.DeviceID, before)
	if _, err := h.SetClusterLabel(cfg.DeviceID, cluster, "before-reset", "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.SetExemplarLabel(cfg.DeviceID, cluster, frame, "pre-frame",
		"test"); err != nil {
		t.Fatal(err)
	}
	peer.send(t, wire.CmdReset, `{"v":1,"id":"r1"}`)
	if r := waitReply(t, peer, "r1"); !r.OK {
		t.Fatalf("reset reply %+v, want ok", r)
	}
	first := stop()

	cfg.Source.Path = writeClip(t, clipFrames(t, firstFrames, 2*firstFrames))
	second, err := Run(context.Background(), cfg, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	client := &hub.Client{BaseURL: srv.URL}
	waitForSummary(t, client, uint64(first.Summaries+second.Summaries))

	reset := resetEvent(t, peer)
	checkResetEvent(t, reset, wire.ResetCommand, firstFrames)
	checkNewExemplars(t, srv.URL, cfg.DeviceID, *reset.Frame, before)
	checkRetired(t, h, cfg.DeviceID, "device reset")
	checkPageHides(t, srv.URL, "before-reset", "pre-frame")
	checkResetStored(t, cfg, uint64(first.Summaries), *reset.Frame)
}

// startHubServer starts a hub connected to brokerURL and its HTTP server,
// both closed when the test ends.
func startHubServer(t *testing.T, brokerURL string) (*hub.Hub, *httptest.Server) {
	t.Helper()
	h, err := hub.New(hub.Options{Broker: brokerURL, Logger: testOptions().Logger,
		StatePath: filepath.Join(t.TempDir(), "hub.db")})
	if err != nil {
		t.Fatal(err)
	}
	h.Start()
	if !h.WaitConnected(5 * time.Second) {
		h.Close()
		t.Fatal("hub did not connect")
	}
	srv := httptest.NewServer(h.Handler())
	t.Cleanup(func() {
		srv.Close()
		h.Close()
	})
	return h, srv
}

// waitForExemplars waits until the hub holds summary seq of device and
// every exemplar it lists, and returns their frame ids.
func waitForExemplars(t *testing.T, base, device string, seq uint64) []uint64 {
	t.Helper()
	client := &hub.Client{BaseURL: base}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		devs, err := client.Devices(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(devs) == 1 && devs[0].Seq >= seq {
			return listedFrames(t, client, device)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("hub never showed summary %d", seq)
	return nil
}

func listedFrames(t *testing.T, client *hub.Client, device string) []uint64 {
	t.Helper()
	clusters, err := client.Clusters(context.Background(), device)
	if err != nil {
		t.Fatal(err)
	}
	var frames []uint64
	for _, c := range clusters {
		frames = append(frames, c.Exemplars...)
	}
	if len(frames) == 0 {
		t.Fatal("hub clusters list no exemplars")
	}
	return frames
}

// hubThumbnails returns the SHA-256 sums of the thumbnails the hub serves
// for frames, by frame, after waiting for at least one. A summary lists the
// latest frames of a cluster without stored exemplars, which have none.
func hubThumbnails(t *testing.T, base string, frames []uint64) map[uint64][32]byte {
	t.Helper()
	out := map[uint64][32]byte{}
	deadline := time.Now().Add(10 * time.Second)
	for len(out) == 0 && time.Now().Before(deadline) {
		for _, f := range frames {
			if jpeg := getThumbnail(t, base, f); jpeg != nil {
				out[f] = sha256.Sum256(jpeg)
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(out) == 0 {
		t.Fatalf("hub serves none of the listed exemplars %v", frames)
	}
	return out
}

// getThumbnail returns the thumbnail of frame, or nil when the hub has none.
func getThumbnail(t *testing.T, base string, frame uint64) []byte {
	t.Helper()
	url := fmt.Sprintf("%s/api/v1/devices/cam-test/exemplar/%d.jpg", base, frame)
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode == http.StatusNotFound {
		return nil
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d: %s", url, resp.StatusCode, body)
	}
	return body
}

// firstExemplar returns the cluster and frame of a listed exemplar that
// the hub serves, from those in stored.
func firstExemplar(t *testing.T, base, device string, stored map[uint64][32]byte) (int,
	uint64) {
	t.Helper()
	clusters, err := (&hub.Client{BaseURL: base}).Clusters(context.Background(), device)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range clusters {
		for _, f := range c.Exemplars {
			if _, ok := stored[f]; ok {
				return c.ID, f
			}
		}
	}
	t.Fatal("no cluster lists a stored exemplar")
	return 0, 0
}

func waitReply(t *testing.T, peer *mqttPeer, id string) wire.Reply {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		peer.mu.Lock()
		got := append([][]byte(nil), peer.got[wire.KindReply]...)
		peer.mu.Unlock()
		for _, data := range got {
			if r, err := wire.DecodeReply(data); err == nil && r.ID == id {
				return r
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no reply with id %q within 20 s", id)
	return wire.Reply{}
}

// resetEvent returns the last reset event the peer received.
func resetEvent(t *testing.T, peer *mqttPeer) wire.Event {
	t.Helper()
	var found *wire.Event
	for _, data := range peer.wait(t, wire.KindEvent, 1) {
		e, err := wire.DecodeEvent(data)
		if err != nil {
			t.Fatal(err)
		}
		if e.Type == wire.EventReset {
			found = &e
		}
	}
	if found == nil {
		t.Fatal("no reset event")
	}
	return *found
}

func checkResetEvent(t *testing.T, e wire.Event, reason string, frame uint64) {
	t.Helper()
	if e.Reason != reason {
		t.Errorf("reset event reason %q, want %q", e.Reason, reason)
	}
	if e.Frame == nil {
		t.Fatal("reset event without a frame")
	}
	if *e.Frame != frame {
		t.Fatalf("reset event frame %d, want %d, the frames seen before it", *e.Frame, frame)
	}
}

// checkNewExemplars checks that the hub lists only exemplars from resetFrame
// on, serves at least one of them, and no longer serves any exemplar it
// served before the reset.
func checkNewExemplars(t *testing.T, base, device string, resetFrame uint64,
	before map[uint64][32]byte) {
	t.Helper()
	after := hubThumbnails(t, base, listedFrames(t, &hub.Client{BaseURL: base}, device))
	for f := range after {
		if f < resetFrame {
			t.Errorf("hub lists exemplar frame %d, below the reset frame %d", f, resetFrame)
		}
		if _, ok := before[f]; ok {
			t.Errorf("frame id %d names an exemplar before and after the reset", f)
		}
	}
	for f := range before {
		if getThumbnail(t, base, f) != nil {
			t.Errorf("hub serves pre-reset exemplar %d, want it archived", f)
		}
	}
}

func checkRetired(t *testing.T, h *hub.Hub, device, author string) {
	t.Helper()
	labels, err := h.Labels(device)
	if err != nil {
		t.Fatal(err)
	}
	if len(labels) != 2 {
		t.Fatalf("hub has %d labels of %s, want the cluster and the exemplar label: %+v",
			len(labels), device, labels)
	}
	for _, l := range labels {
		if l.State != hub.LabelRetired || l.Author != author {
			t.Errorf("label %q of cluster %d: state %q by %q, want %q by %q", l.Name,
				l.Cluster, l.State, l.Author, hub.LabelRetired, author)
		}
	}
}

func checkPageHides(t *testing.T, base string, names ...string) {
	t.Helper()
	resp, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /: status %d", resp.StatusCode)
	}
	for _, name := range names {
		if strings.Contains(string(page), name) {
			t.Errorf("page shows label %q set before the reset", name)
		}
	}
}

// checkResetStored checks the reset record in the state file and that a
// restarted pipeline loads it.
func checkResetStored(t *testing.T, cfg Config, summary, frame uint64) {
	t.Helper()
	cfg.MQTT.Broker = ""
	p, err := newPipeline(cfg.WithDefaults(), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer p.closeAll()
	if p.resetSummary != summary {
		t.Errorf("resetSummary after a restart = %d, want %d", p.resetSummary, summary)
	}
	if p.resetFrame != frame {
		t.Errorf("resetFrame after a restart = %d, want %d", p.resetFrame, frame)
	}
	if p.nextFrame <= frame {
		t.Errorf("nextFrame after a restart = %d, want above the reset frame %d",
			p.nextFrame, frame)
	}
}

// TestSpaceChangeReportsReset runs the daemon on one state file with
// cluster.k 3, then 4, then 4 again, and checks that only the switch to a
// new cluster space sends a reset event, whose frame continues the ids.
func TestSpaceChangeReportsReset(t *testing.T) {
	broker := mqtttest.Start(t)
	peer := newPeer(t, broker.URL)
	const frames = 20
	cfg := testConfig(t, writeClip(t, clipFrames(t, 0, frames)),
		filepath.Join(t.TempDir(), "s.db"))
	cfg.MQTT.Broker = broker.URL

	tests := []struct {
		k          int
		wantResets int
	}{
		{3, 0},
		{4, 1},
		{4, 1},
	}
	for i, tt := range tests {
		cfg.Cluster.K = tt.k
		if _, err := Run(context.Background(), cfg, testOptions()); err != nil {
			t.Fatal(err)
		}
		resets := resetEvents(t, peer, tt.wantResets)
		if len(resets) != tt.wantResets {
			t.Fatalf("run %d with k %d: %d reset events, want %d", i, tt.k, len(resets),
				tt.wantResets)
		}
	}
	checkResetEvent(t, resetEvents(t, peer, 1)[0], wire.ResetSpace, frames)
	cfg.MQTT.Broker = ""
	p, err := newPipeline(cfg.WithDefaults(), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer p.closeAll()
	if want := uint64(3 * frames); p.nextFrame != want {
		t.Errorf("nextFrame after three runs of %d frames = %d, want %d", frames,
			p.nextFrame, want)
	}
}

// resetEvents returns the reset events the peer received, once there are
// want of them or after 10 s. Later events, of another run, are not
// waited for, so a run that sends an unexpected one may pass unnoticed
// when the event is slow.
func resetEvents(t *testing.T, peer *mqttPeer, want int) []wire.Event {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		out := receivedResets(t, peer)
		if len(out) >= want || time.Now().After(deadline) {
			return out
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func receivedResets(t *testing.T, peer *mqttPeer) []wire.Event {
	t.Helper()
	peer.mu.Lock()
	got := append([][]byte(nil), peer.got[wire.KindEvent]...)
	peer.mu.Unlock()
	var out []wire.Event
	for _, data := range got {
		e, err := wire.DecodeEvent(data)
		if err != nil {
			t.Fatal(err)
		}
		if e.Type == wire.EventReset {
			out = append(out, e)
		}
	}
	return out
}
