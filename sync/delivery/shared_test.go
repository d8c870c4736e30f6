package delivery

import (
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/internal/mqtttest"
	"github.com/edgecluster/edgecluster/sync/hub"
	"github.com/edgecluster/edgecluster/sync/uplink"
)

// TestSharedSubscriptionSplitsLoad runs two hub instances in one shared
// subscription group: together they hold every summary once, and each
// holds some.
func TestSharedSubscriptionSplitsLoad(t *testing.T) {
	broker := mqtttest.Start(t)
	hubs := []*hub.Hub{
		startHub(t, broker.URL, hub.Options{ClientID: "hub-1", Share: "hubs"}),
		startHub(t, broker.URL, hub.Options{ClientID: "hub-2", Share: "hubs"}),
	}
	const n = 200
	produceSummaries(t, broker.URL, "cam-1", n)
	waitAll(t, hubs, "cam-1", n, 20*time.Second)
	for i, h := range hubs {
		seqs := allSeqs(t, []*hub.Hub{h}, "cam-1")
		t.Logf("hub-%d stores %d summaries", i+1, len(seqs))
		if len(seqs) == 0 {
			t.Errorf("hub-%d received no summary from the shared group", i+1)
		}
		// Both instances subscribe to statuses without sharing.
		if info := deviceInfo(t, h, "cam-1"); info.State != "online" {
			t.Errorf("hub-%d device state %q, want online", i+1, info.State)
		}
	}
}

// produceSummaries starts device id and has it produce n summaries.
func produceSummaries(t *testing.T, url, id string, n int) {
	t.Helper()
	d := openDevice(t, url, id, uplink.Options{})
	d.up.Start()
	rng := newRand()
	for range n {
		d.produce(rng)
	}
}
