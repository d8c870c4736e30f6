package daemon

import (
	"context"
	"errors"
	"fmt"
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
	if rec.Moved == 0 {
		t.Error("the device moved no centroid")
	}
	space, state := storedState(t, cfg.StatePath)
	events := refineEvents(state)
	if len(events) != 1 {
		t.Fatalf("%d refine lineage events in space %s, want 1", len(events), space)
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
