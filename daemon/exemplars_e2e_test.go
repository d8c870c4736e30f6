package daemon

import (
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
	"io"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/internal/mqtttest"
	"github.com/edgecluster/edgecluster/sync/hub"
)

// TestExemplarsReachHub runs the daemon over the whole bundled clip through
// a real mosquitto with a small exemplar budget, then fetches every
// exemplar the last summary lists from the hub.
func TestExemplarsReachHub(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole clip")
	}
	broker := mqtttest.Start(t)
	srv := startTestHub(t, broker.URL)

	cfg := testConfig(t, demoClip, filepath.Join(t.TempDir(), "s.db"))
	cfg.Cluster = ClusterConfig{}
	cfg.Summary.EveryFrames = 50
	cfg.MQTT.Broker = broker.URL
	cfg.Exemplars = ExemplarsConfig{BudgetBytes: 160 << 10, PerCluster: 8}
	res, err := Run(context.Background(), cfg, testOptions())
	if err != nil {
		t.Fatal(err)
	}

	client := &hub.Client{BaseURL: srv.URL}
	waitForSummary(t, client, uint64(res.Summaries))
	clusters, err := client.Clusters(context.Background(), cfg.DeviceID)
	if err != nil {
		t.Fatal(err)
	}
	total, count := 0, 0
	for _, c := range clusters {
		if len(c.Exemplars) > cfg.Exemplars.PerCluster {
			t.Errorf("cluster %d lists %d exemplars, at most %d", c.ID, len(c.Exemplars),
				cfg.Exemplars.PerCluster)
		}
		if c.Hourly == nil || len(c.Hourly.Counts) == 0 {
			t.Errorf("cluster %d has no hourly counts", c.ID)
		}
		for _, frame := range c.Exemplars {
			total += len(fetchThumbnail(t, srv.URL, cfg.DeviceID, frame))
			count++
		}
	}
	if count == 0 {
		t.Fatal("no exemplars listed")
	}
	// The budget also counts each exemplar's 1280-d half-precision embedding.
	if used := int64(total + count*2*1280); used > cfg.Exemplars.BudgetBytes {
		t.Errorf("exemplars take %d bytes, budget %d", used, cfg.Exemplars.BudgetBytes)
	}
	t.Logf("%d clusters, %d exemplars, %d thumbnail bytes (%d per thumbnail)",
		len(clusters), count, total, total/count)
}

// fetchThumbnail gets one thumbnail from the hub and checks that it is a
// JPEG.
func fetchThumbnail(t *testing.T, base, device string, frame uint64) []byte {
	t.Helper()
	url := fmt.Sprintf("%s/api/v1/devices/%s/exemplar/%d.jpg", base, device, frame)
	var body []byte
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		body, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET %s: status %d: %s", url, resp.StatusCode, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, err := jpeg.Decode(bytes.NewReader(body)); err != nil {
		t.Errorf("exemplar %d does not decode as JPEG: %v", frame, err)
	}
	return body
}
