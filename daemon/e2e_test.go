package daemon

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/internal/mqtttest"
	"github.com/edgecluster/edgecluster/sync/hub"
)

// TestEndToEndThroughBroker runs the daemon over real clip frames, publishes
// through a real mosquitto and checks what the hub serves.
func TestEndToEndThroughBroker(t *testing.T) {
	broker := mqtttest.Start(t)
	srv := startTestHub(t, broker.URL)

	cfg := testConfig(t, writeClip(t, clipFrames(t, 0, 30)), filepath.Join(t.TempDir(), "s.db"))
	cfg.MQTT.Broker = broker.URL
	res, err := Run(context.Background(), cfg, testOptions())
	if err != nil {
		t.Fatal(err)
	}

	client := &hub.Client{BaseURL: srv.URL}
	dev := waitForSummary(t, client, uint64(res.Summaries))
	if dev.State != "offline" {
		t.Errorf("device state %q after a clean stop, want offline", dev.State)
	}
	clusters, err := client.Clusters(context.Background(), cfg.DeviceID)
	if err != nil {
		t.Fatal(err)
	}
	if len(clusters) != res.Clusters {
		t.Errorf("hub has %d clusters, daemon has %d", len(clusters), res.Clusters)
	}
	var sum uint64
	for _, c := range clusters {
		sum += c.Count
	}
	if sum != res.Frames.Embedded {
		t.Errorf("cluster counts sum to %d, daemon embedded %d frames", sum, res.Frames.Embedded)
	}
}

func waitForSummary(t *testing.T, c *hub.Client, seq uint64) hub.DeviceInfo {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var last []hub.DeviceInfo
	for time.Now().Before(deadline) {
		devs, err := c.Devices(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(devs) == 1 && devs[0].Seq == seq && devs[0].State == "offline" {
			return devs[0]
		}
		last = devs
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("hub never showed summary %d and offline state: %+v", seq, last)
	return hub.DeviceInfo{}
}

// startTestHub starts a hub connected to brokerURL and its HTTP server,
// both closed when the test ends.
func startTestHub(t *testing.T, brokerURL string) *httptest.Server {
	t.Helper()
	_, srv := startHubServer(t, brokerURL)
	return srv
}
