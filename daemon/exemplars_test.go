package daemon

import (
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/edge/exemplar"
	"github.com/edgecluster/edgecluster/edge/store"
	"github.com/edgecluster/edgecluster/internal/mqtttest"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// storedExemplars returns the exemplars and hourly counts of the only
// cluster space in a state file.
func storedExemplars(t *testing.T, path string) ([]store.Exemplar, map[int]store.Hourly) {
	t.Helper()
	s, err := store.Open(path, store.Options{Logger: testOptions().Logger})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	spaces, err := s.Spaces()
	if err != nil || len(spaces) != 1 {
		t.Fatalf("spaces = %v, %v, want one", spaces, err)
	}
	ex, err := s.Exemplars(spaces[0])
	if err != nil {
		t.Fatal(err)
	}
	hourly, err := s.HourlyCounts(spaces[0])
	if err != nil {
		t.Fatal(err)
	}
	return ex, hourly
}

func TestRunKeepsExemplarsWithinBudget(t *testing.T) {
	cfg := testConfig(t, writeClip(t, clipFrames(t, 0, 40)), filepath.Join(t.TempDir(), "s.db"))
	cfg.Exemplars = ExemplarsConfig{BudgetBytes: 24 << 10, PerCluster: 6}
	res, err := Run(context.Background(), cfg, testOptions())
	if err != nil {
		t.Fatal(err)
	}

	ex, hourly := storedExemplars(t, cfg.StatePath)
	if len(ex) == 0 {
		t.Fatal("no exemplars stored")
	}
	var total int64
	perCluster := map[int]int{}
	for _, e := range ex {
		total += exemplar.Size(e)
		perCluster[e.Cluster]++
		img, err := jpeg.Decode(bytes.NewReader(e.JPEG))
		if err != nil {
			t.Fatalf("exemplar %d does not decode as JPEG: %v", e.Frame, err)
		}
		if b := img.Bounds(); max(b.Dx(), b.Dy()) != exemplar.DefaultThumbnailSide {
			t.Errorf("thumbnail %v, want longest side %d", b, exemplar.DefaultThumbnailSide)
		}
		if len(e.Vector) == 0 {
			t.Errorf("exemplar %d has no embedding", e.Frame)
		}
	}
	if total > cfg.Exemplars.BudgetBytes {
		t.Errorf("exemplars use %d bytes, budget %d", total, cfg.Exemplars.BudgetBytes)
	}
	for id, n := range perCluster {
		if n > cfg.Exemplars.PerCluster {
			t.Errorf("cluster %d has %d exemplars, at most %d", id, n, cfg.Exemplars.PerCluster)
		}
	}

	var counted uint64
	for _, h := range hourly {
		for _, n := range h {
			counted += n
		}
	}
	if counted != res.Frames.Embedded {
		t.Errorf("hourly counts sum to %d, embedded %d", counted, res.Frames.Embedded)
	}
	t.Logf("%d exemplars, %d bytes, %.0f bytes each", len(ex), total,
		float64(total)/float64(len(ex)))
}

func TestRunDropsExemplarsOfOldSpace(t *testing.T) {
	clip := writeClip(t, clipFrames(t, 0, 20))
	cfg := testConfig(t, clip, filepath.Join(t.TempDir(), "s.db"))
	if _, err := Run(context.Background(), cfg, testOptions()); err != nil {
		t.Fatal(err)
	}
	cfg.Cluster.K = 2
	if _, err := Run(context.Background(), cfg, testOptions()); err != nil {
		t.Fatal(err)
	}

	s, err := store.Open(cfg.StatePath, store.Options{Logger: testOptions().Logger})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	spaces, _ := s.Spaces()
	if len(spaces) != 2 {
		t.Fatalf("spaces = %v, want the old and the new", spaces)
	}
	kept := 0
	for _, space := range spaces {
		ex, _ := s.Exemplars(space)
		hourly, _ := s.HourlyCounts(space)
		if len(hourly) == 0 {
			t.Errorf("space %s lost its hourly counts", space)
		}
		if len(ex) > 0 {
			kept++
		}
	}
	if kept != 1 {
		t.Errorf("%d spaces have exemplars, want only the current one", kept)
	}
}

func TestSplitExemplars(t *testing.T) {
	thumb := store.Exemplar{JPEG: make([]byte, 3000)} // 4200 bytes of JSON
	many := func(n int) []store.Exemplar {
		out := make([]store.Exemplar, n)
		for i := range out {
			out[i] = thumb
		}
		return out
	}
	tests := []struct {
		name      string
		n         int
		maxBytes  int
		wantParts []int
	}{
		{"none", 0, 10000, nil},
		{"one fits", 1, 10000, []int{1}},
		{"split by bytes", 5, 10000, []int{2, 2, 1}},
		{"oversized one alone", 2, 100, []int{1, 1}},
		{"split by count", wire.MaxExemplarsPerMessage + 1, 1 << 30,
			[]int{wire.MaxExemplarsPerMessage, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts := splitExemplars(many(tt.n), tt.maxBytes)
			var got []int
			for _, p := range parts {
				got = append(got, len(p))
			}
			if !slices.Equal(got, tt.wantParts) {
				t.Errorf("part sizes = %v, want %v", got, tt.wantParts)
			}
		})
	}
}

func TestHourlyCountsAreConsecutive(t *testing.T) {
	p := &pipeline{exemplars: exemplar.NewSet(exemplar.Config{}, nil, map[int]store.Hourly{
		4: {490000: 2, 490003: 5}}, nil, nil)}
	h := p.hourlyCounts(4)
	if h == nil {
		t.Fatal("no hourly counts")
	}
	if want := time.Unix(490000*3600, 0).UTC(); !h.Start.Equal(want) {
		t.Errorf("start = %v, want %v", h.Start, want)
	}
	if want := []uint64{2, 0, 0, 5}; !slices.Equal(h.Counts, want) {
		t.Errorf("counts = %v, want %v", h.Counts, want)
	}
	if p.hourlyCounts(5) != nil {
		t.Error("cluster without counts has hourly counts")
	}
}

// TestSendExemplarsCommand requests the exemplars of one cluster from a
// running daemon and checks that it sends them all again and counts them
// in its reply.
func TestSendExemplarsCommand(t *testing.T) {
	broker := mqtttest.Start(t)
	peer := newPeer(t, broker.URL)
	cfg := testConfig(t, writeClip(t, clipFrames(t, 0, 20)), filepath.Join(t.TempDir(), "s.db"))
	cfg.MQTT.Broker = broker.URL
	stop := runInBackground(t, cfg)
	first, err := wire.DecodeExemplars(peer.wait(t, wire.KindExemplars, 1)[0])
	if err != nil {
		t.Fatal(err)
	}
	cluster := first.Items[0].Cluster

	peer.send(t, wire.CmdSendExemplars, fmt.Sprintf(`{"v":1,"id":"e1","cluster":%d}`, cluster))
	reply := peer.replies(t, 1)["e1"]
	sent := peer.wait(t, wire.KindExemplars, 2)
	stop()

	if !reply.OK || reply.Resent == 0 {
		t.Fatalf("reply = %+v, want ok with the number of exemplars sent", reply)
	}
	// The device queues the exemplars before the reply, and regular
	// commits may send others, so one message holds exactly the resent set.
	for _, data := range sent {
		m, err := wire.DecodeExemplars(data)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Items) == reply.Resent && allOfCluster(m.Items, cluster) {
			return
		}
	}
	t.Errorf("no exemplars message holds the %d exemplars of cluster %d", reply.Resent,
		cluster)
}

func allOfCluster(items []wire.Exemplar, cluster int) bool {
	for _, e := range items {
		if e.Cluster != cluster {
			return false
		}
	}
	return true
}
