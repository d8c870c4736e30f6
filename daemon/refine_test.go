package daemon

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/edge/cluster"
	"github.com/edgecluster/edgecluster/edge/store"
	"github.com/edgecluster/edgecluster/internal/mqtttest"
	"github.com/edgecluster/edgecluster/sync/hub"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// storedState returns the only cluster space and its clusters in the state
// file at path.
func storedState(t *testing.T, path string) (string, cluster.State) {
	t.Helper()
	st, err := store.Open(path, store.Options{Logger: testOptions().Logger})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	spaces, err := st.Spaces()
	if err != nil || len(spaces) != 1 {
		t.Fatalf("spaces %v, %v; want one", spaces, err)
	}
	s, ok, err := st.LoadClusters(spaces[0])
	if err != nil || !ok {
		t.Fatalf("load clusters of %s: %v, found %v", spaces[0], err, ok)
	}
	return spaces[0], s
}

func refineEvents(s cluster.State) []cluster.LineageEvent {
	var out []cluster.LineageEvent
	for _, e := range s.Lineage {
		if e.Kind == cluster.LineageRefine {
			out = append(out, e)
		}
	}
	return out
}

// TestHubRefinementReachesDaemon runs a daemon, a hub and mosquitto, has
// the hub refine the device's centroids, and checks that the daemon
// moved them under their ids with a refine lineage event.
func TestHubRefinementReachesDaemon(t *testing.T) {
	broker := mqtttest.Start(t)
	h, err := hub.New(hub.Options{Broker: broker.URL, Logger: testOptions().Logger,
		StatePath: filepath.Join(t.TempDir(), "hub.db")})
	if err != nil {
		t.Fatal(err)
	}
	h.Start()
	t.Cleanup(func() { h.Close() })
	if !h.WaitConnected(5 * time.Second) {
		t.Fatal("hub did not connect")
	}
	cfg := testConfig(t, writeClip(t, clipFrames(t, 0, 40)), filepath.Join(t.TempDir(), "s.db"))
	cfg.MQTT.Broker = broker.URL
	stop := runInBackground(t, cfg)

	// Refining after the last frame keeps later merges from retiring a
	// refined id before the checks below.
	srv := httptest.NewServer(h.Handler())
	t.Cleanup(srv.Close)
	waitForFrames(t, &hub.Client{BaseURL: srv.URL}, 40)
	sent := refineWhenReady(t, h, cfg.DeviceID)
	rec := waitRefinement(t, h, cfg.DeviceID, sent.ID)
	stop()

	if rec.State != hub.RefineApplied {
		t.Fatalf("refinement %s, error %q; want %s", rec.State, rec.Error, hub.RefineApplied)
	}
	// The streaming centroids of this clip already partition the exemplars
	// as DEC would, so DEC may converge without a move, which the device
	// applies as no change.
	wantEvents := 1
	if rec.Moved == 0 {
		wantEvents = 0
		if !rec.Converged {
			t.Errorf("the device moved no centroid of a refinement that did not converge")
		}
	}
	space, state := storedState(t, cfg.StatePath)
	events := refineEvents(state)
	if len(events) != wantEvents {
		t.Fatalf("%d refine lineage events in space %s, want %d", len(events), space,
			wantEvents)
	}
	if wantEvents == 0 {
		return
	}
	if got := len(events[0].From); got != rec.Moved {
		t.Errorf("lineage lists %d moved clusters, the reply %d", got, rec.Moved)
	}
	var ids []int
	for _, c := range state.Clusters {
		ids = append(ids, c.ID)
	}
	for _, id := range events[0].From {
		if !slices.Contains(ids, id) {
			t.Errorf("refined cluster %d is not among the stored ids %v", id, ids)
		}
	}
}

// waitForFrames waits until the hub's summary of the only device counts
// seen frames.
func waitForFrames(t *testing.T, c *hub.Client, seen uint64) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		devs, err := c.Devices(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(devs) == 1 && devs[0].Frames.Seen == seen {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("hub never had a summary of %d seen frames", seen)
}

// refineWhenReady retries RefineCentroids until the hub stores a summary
// and enough exemplars of device.
func refineWhenReady(t *testing.T, h *hub.Hub, device string) hub.Refinement {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		rec, err := h.RefineCentroids(context.Background(), device, hub.RefineOptions{})
		if err == nil {
			return rec
		}
		if !errors.Is(err, hub.ErrRefineInput) && !errors.Is(err, hub.ErrNotFound) {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("hub never had the input of a refinement: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitRefinement waits for the device's reply to refinement id.
func waitRefinement(t *testing.T, h *hub.Hub, device, id string) hub.Refinement {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		rec := h.Refinements()[device]
		if rec.ID == id && rec.State != hub.RefineSent {
			return rec
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no reply to refinement %s within 20 s", id)
	return hub.Refinement{}
}

// TestRefineCommandRejectsMismatch sends refinements that do not fit the
// device's clusters and checks that each is rejected with its reason and
// that no centroid moved.
func TestRefineCommandRejectsMismatch(t *testing.T) {
	broker := mqtttest.Start(t)
	peer := newPeer(t, broker.URL)
	cfg := testConfig(t, writeClip(t, clipFrames(t, 0, 20)), filepath.Join(t.TempDir(), "s.db"))
	cfg.MQTT.Broker = broker.URL
	stop := runInBackground(t, cfg)
	s, err := wire.DecodeSummary(peer.wait(t, wire.KindSummary, 1)[0])
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		change func(*wire.Refinement)
		want   string
	}{
		{"other space", func(r *wire.Refinement) { r.Space = "other-8-k3" },
			`space is "other-8-k3"`},
		{"other epoch", func(r *wire.Refinement) { r.Epoch = "old" }, `epoch is "old"`},
		{"other model", func(r *wire.Refinement) { r.Model.SHA256 = strings.Repeat("0", 64) },
			"model sha256"},
		{"unknown cluster", func(r *wire.Refinement) { r.Clusters[0].ID = 999 },
			"stale: cluster: cluster not found: id 999"},
		{"before a reset", func(r *wire.Refinement) { r.Embedded = 1 << 40 }, "stale"},
	}
	for i, tt := range tests {
		r := refinementOf(s)
		r.ID = fmt.Sprintf("r%d", i)
		tt.change(&r)
		data, err := wire.EncodeRefine(r.ID, r)
		if err != nil {
			t.Fatal(err)
		}
		peer.send(t, wire.CmdRefineCentroids, string(data))
	}
	replies := peer.replies(t, len(tests))
	stop()

	for i, tt := range tests {
		r := replies[fmt.Sprintf("r%d", i)]
		if r.OK {
			t.Errorf("%s: reply ok, want a rejection", tt.name)
		}
		if !strings.Contains(r.Error, tt.want) {
			t.Errorf("%s: reply error %q, want it to contain %q", tt.name, r.Error, tt.want)
		}
	}
	if _, state := storedState(t, cfg.StatePath); len(refineEvents(state)) != 0 {
		t.Errorf("rejected refinements left refine events %+v", refineEvents(state))
	}
}

// refinementOf returns a refinement that names the space of s and moves
// each of its centroids a little.
func refinementOf(s wire.Summary) wire.Refinement {
	r := wire.Refinement{Epoch: s.Epoch, Space: s.Space, Model: s.Model,
		Reduction: s.Reduction, Summary: s.Seq, Embedded: s.Frames.Embedded}
	for _, c := range s.Clusters {
		moved := slices.Clone(c.Centroid)
		moved[0] += 0.5
		r.Clusters = append(r.Clusters, wire.RefinedCluster{ID: c.ID, Centroid: moved})
	}
	return r
}

// waitSummaryOfSeen returns the first summary the peer received that
// counts seen frames.
func waitSummaryOfSeen(t *testing.T, peer *mqttPeer, seen uint64) wire.Summary {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for n := 1; time.Now().Before(deadline); n++ {
		s, err := wire.DecodeSummary(peer.wait(t, wire.KindSummary, n)[n-1])
		if err != nil {
			t.Fatal(err)
		}
		if s.Frames.Seen == seen {
			return s
		}
	}
	t.Fatalf("no summary of %d seen frames within 30 s", seen)
	return wire.Summary{}
}

// TestRefineCommandAppliesShiftOnce sends two refinements made from the
// same summary. The device must add the first one's shift to its current
// centroids and reject the second, whose clusters the first one already
// changed after that summary.
func TestRefineCommandAppliesShiftOnce(t *testing.T) {
	const shift = 0.25
	broker := mqtttest.Start(t)
	peer := newPeer(t, broker.URL)
	cfg := testConfig(t, writeClip(t, clipFrames(t, 0, 20)), filepath.Join(t.TempDir(), "s.db"))
	cfg.MQTT.Broker = broker.URL
	stop := runInBackground(t, cfg)
	s := waitSummaryOfSeen(t, peer, 20)

	first := refinementOf(s) // moves centroid[0] by 0.5 from the summary
	first.ID = "first"
	for i, c := range s.Clusters {
		first.Clusters[i].Base = slices.Clone(c.Centroid)
		first.Clusters[i].Base[0] += first.Clusters[i].Centroid[0] - c.Centroid[0] - shift
	}
	second := refinementOf(s)
	second.ID = "second"
	unknown := refinementOf(s)
	unknown.ID, unknown.Summary = "unknown", s.Seq+1000
	// The client may run message handlers concurrently, so the test waits
	// for the reply to each refinement before it sends the next.
	for i, r := range []wire.Refinement{first, second, unknown} {
		data, err := wire.EncodeRefine(r.ID, r)
		if err != nil {
			t.Fatal(err)
		}
		peer.send(t, wire.CmdRefineCentroids, string(data))
		peer.replies(t, min(i+1, 2))
	}
	replies := peer.replies(t, 3)
	event := waitRefineEvent(t, peer)
	after := waitSummaryAfter(t, peer, s.Seq)
	stop()

	if event.Refinement != "first" || event.Source != wire.RefineSourceHub ||
		len(event.Moved) != len(s.Clusters) || event.MaxShift < shift*0.9 {
		t.Errorf("refine event %+v, want refinement first from the hub moving %d clusters "+
			"by about %.2f", event, len(s.Clusters), shift)
	}
	if got := after.Clusters[0].Centroid[0] - s.Clusters[0].Centroid[0]; math.Abs(
		float64(got-shift)) > 0.01 {
		t.Errorf("summary %d after the refinement moved centroid[0] by %.4f, want %.2f",
			after.Seq, got, shift)
	}

	tests := []struct {
		id     string
		wantOK bool
		want   string
	}{
		{"first", true, ""},
		{"second", false, "refine event after summary"},
		{"unknown", false, "not among the"},
	}
	for _, tt := range tests {
		r := replies[tt.id]
		if r.OK != tt.wantOK || !strings.Contains(r.Error, tt.want) {
			t.Errorf("reply %s: ok %v, error %q; want ok %v, error containing %q", tt.id,
				r.OK, r.Error, tt.wantOK, tt.want)
		}
	}
	_, state := storedState(t, cfg.StatePath)
	if n := len(refineEvents(state)); n != 1 {
		t.Errorf("%d refine lineage events, want 1", n)
	}
	want := map[int][]float32{}
	for _, c := range s.Clusters {
		want[c.ID] = c.Centroid
	}
	for _, c := range state.Clusters {
		base, ok := want[c.ID]
		if !ok {
			continue
		}
		// Summaries carry half-precision centroids, so allow their rounding.
		if got := c.Centroid[0] - base[0]; math.Abs(float64(got-shift)) > 0.01 {
			t.Errorf("cluster %d centroid[0] moved %.4f, want the shift %.2f", c.ID, got, shift)
		}
	}
}

// waitRefineEvent returns the first refine event the peer received.
func waitRefineEvent(t *testing.T, peer *mqttPeer) wire.Event {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for n := 1; time.Now().Before(deadline); n++ {
		e, err := wire.DecodeEvent(peer.wait(t, wire.KindEvent, n)[n-1])
		if err != nil {
			t.Fatal(err)
		}
		if e.Type == wire.EventRefine {
			return e
		}
	}
	t.Fatal("no refine event within 30 s")
	return wire.Event{}
}

// waitSummaryAfter returns the first summary the peer received with a
// sequence number above seq.
func waitSummaryAfter(t *testing.T, peer *mqttPeer, seq uint64) wire.Summary {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for n := 1; time.Now().Before(deadline); n++ {
		s, err := wire.DecodeSummary(peer.wait(t, wire.KindSummary, n)[n-1])
		if err != nil {
			t.Fatal(err)
		}
		if s.Seq > seq {
			return s
		}
	}
	t.Fatalf("no summary after #%d within 30 s", seq)
	return wire.Summary{}
}
