package delivery

import (
	"reflect"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/internal/mqtttest"
	"github.com/edgecluster/edgecluster/internal/pgtest"
	"github.com/edgecluster/edgecluster/sync/hub"
)

// TestSharedHubsOnePostgres runs two hub instances in one shared
// subscription group on one PostgreSQL database, and a third hub with its
// own bbolt file that subscribes without sharing and so receives every
// message. The shared database must end equal to the single hub.
func TestSharedHubsOnePostgres(t *testing.T) {
	broker := mqtttest.Start(t)
	dsn := pgtest.Start(t).NewDatabase()
	shared := []*hub.Hub{
		startHub(t, broker.URL, hub.Options{ClientID: "hub-1", Share: "hubs", Store: dsn}),
		startHub(t, broker.URL, hub.Options{ClientID: "hub-2", Share: "hubs", Store: dsn}),
	}
	single := startHub(t, broker.URL, hub.Options{ClientID: "hub-single"})
	const n = 200
	produceSummaries(t, broker.URL, "cam-1", n)
	waitAll(t, []*hub.Hub{single}, "cam-1", n, 20*time.Second)
	waitAll(t, shared[:1], "cam-1", n, 20*time.Second)

	for i, h := range shared {
		if got := h.Received(); got < n/10 {
			t.Errorf("hub-%d handled %d messages, want a share of the %d summaries", i+1, got, n)
		}
	}
	want, err := single.Device("cam-1")
	if err != nil {
		t.Fatal(err)
	}
	got, err := shared[1].Device("cam-1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Summaries.Stored != want.Summaries.Stored || got.Summaries.Max != want.Summaries.Max ||
		got.Summaries.Next != want.Summaries.Next {
		t.Errorf("shared summaries %+v, single hub %+v", got.Summaries, want.Summaries)
	}
	if !reflect.DeepEqual(got.Summary, want.Summary) {
		t.Errorf("shared latest summary differs from the single hub's")
	}
	sharedSeqs := allSeqs(t, shared[:1], "cam-1")
	if singleSeqs := allSeqs(t, []*hub.Hub{single}, "cam-1"); !reflect.DeepEqual(sharedSeqs,
		singleSeqs) {
		t.Errorf("shared history holds %v, single hub %v", sharedSeqs, singleSeqs)
	}
}
