package hub

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	"github.com/edgecluster/edgecluster/sync/hub/kv"

	"github.com/edgecluster/edgecluster/internal/mqtttest"
	"github.com/edgecluster/edgecluster/sync/wire"
)

func startHub(t *testing.T, url string, state Options) (*Hub, *httptest.Server) {
	t.Helper()
	h, err := New(withState(Options{Broker: url}, state))
	if err != nil {
		t.Fatal(err)
	}
	h.Start()
	if !h.WaitConnected(5 * time.Second) {
		t.Fatal("hub did not connect")
	}
	time.Sleep(100 * time.Millisecond) // let the subscription settle
	srv := httptest.NewServer(h.Handler())
	t.Cleanup(func() {
		srv.Close()
		h.Close()
	})
	return h, srv
}

func publisher(t *testing.T, url string) mqtt.Client {
	t.Helper()
	c := mqtt.NewClient(mqtt.NewClientOptions().AddBroker(url).SetClientID("pub-" + t.Name()))
	if tok := c.Connect(); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("connect: %v", tok.Error())
	}
	t.Cleanup(func() { c.Disconnect(100) })
	return c
}

func publish(t *testing.T, c mqtt.Client, topic string, payload []byte) {
	t.Helper()
	if tok := c.Publish(topic, 1, false, payload); !tok.WaitTimeout(5 * time.Second) {
		t.Fatal("publish timed out")
	}
}

func summary(seq uint64, clusters int) []byte {
	s := wire.Summary{V: wire.Version, Device: "cam-1", Seq: seq, Model: wire.Model{Dims: 2}}
	for i := 0; i < clusters; i++ {
		s.Clusters = append(s.Clusters, wire.Cluster{ID: i, Count: 10, Centroid: wire.Vector{1, 0}})
	}
	data, _ := wire.Encode(s)
	return data
}

func getJSON(t *testing.T, url string, v any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(body, v); err != nil {
			t.Fatalf("%s: %v in %s", url, err, body)
		}
	}
	return resp.StatusCode
}

// waitDevice polls the API until cam-1 reports seq want.
func waitDevice(t *testing.T, base string, want uint64) DeviceInfo {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		var devs []DeviceInfo
		getJSON(t, base+"/api/v1/devices", &devs)
		if len(devs) == 1 && devs[0].Seq == want {
			return devs[0]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("device cam-1 never reached seq %d", want)
	return DeviceInfo{}
}

func TestHubIngestsAndServes(t *testing.T) {
	forEachStore(t, func(t *testing.T, state Options) {
		broker := mqtttest.Start(t)
		_, srv := startHub(t, broker.URL, state)
		pub := publisher(t, broker.URL)
		topic := wire.Topic(wire.DefaultPrefix, "cam-1", wire.KindSummary)

		publish(t, pub, topic, summary(1, 3))
		publish(t, pub, topic, []byte("{not json"))
		publish(t, pub, wire.Topic(wire.DefaultPrefix, "cam-2", wire.KindSummary), summary(9, 1))
		publish(t, pub, topic, summary(2, 4))
		publish(t, pub, topic, summary(2, 4))
		publish(t, pub, topic, summary(1, 3))
		dev := waitDevice(t, srv.URL, 2)

		if dev.Clusters != 4 {
			t.Errorf("clusters %d, want 4", dev.Clusters)
		}
		time.Sleep(100 * time.Millisecond)
		dev = waitDevice(t, srv.URL, 2)
		if dev.Duplicates != 2 {
			t.Errorf("duplicates %d, want 2", dev.Duplicates)
		}

		var clusters []ClusterInfo
		if code := getJSON(t, srv.URL+"/api/v1/devices/cam-1/clusters", &clusters); code != 200 {
			t.Fatalf("clusters status %d", code)
		}
		if len(clusters) != 4 || clusters[3].ID != 3 || clusters[3].Centroid != nil {
			t.Errorf("clusters = %+v, want 4 without centroids", clusters)
		}
		if code := getJSON(t, srv.URL+"/api/v1/devices/nope/clusters", &clusters); code != 404 {
			t.Errorf("unknown device status %d, want 404", code)
		}
	})
}

func TestHubPageListsClusters(t *testing.T) {
	broker := mqtttest.Start(t)
	_, srv := startHub(t, broker.URL, boltState(t))
	publish(t, publisher(t, broker.URL), wire.Topic(wire.DefaultPrefix, "cam-1", wire.KindSummary),
		summary(1, 2))
	waitDevice(t, srv.URL, 1)

	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, want := range []string{`<h2 id="d-cam-1">cam-1`, `id="c-cam-1-1"`,
		"<h3>cluster 1 ", "<div>10 frames"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("page lacks %q:\n%s", want, body)
		}
	}
}

func statusPayload(state string, at time.Time) []byte {
	data, _ := wire.Encode(wire.Status{V: wire.Version, Device: "cam-1", State: state, Time: at})
	return data
}

// waitState polls the API until cam-1 shows want as its state.
func waitState(t *testing.T, base, want string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	var devs []DeviceInfo
	for time.Now().Before(deadline) {
		getJSON(t, base+"/api/v1/devices", &devs)
		if len(devs) == 1 && devs[0].State == want {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("cam-1 never reached state %q: %+v", want, devs)
}

func TestHubKeepsNewestStatus(t *testing.T) {
	forEachStore(t, func(t *testing.T, state Options) {
		broker := mqtttest.Start(t)
		_, srv := startHub(t, broker.URL, state)
		pub := publisher(t, broker.URL)
		topic := wire.Topic(wire.DefaultPrefix, "cam-1", wire.KindStatus)
		now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)

		publish(t, pub, topic, statusPayload(wire.StateOnline, now))
		waitState(t, srv.URL, wire.StateOnline)
		publish(t, pub, topic, statusPayload(wire.StateOffline, now.Add(-time.Minute)))
		publish(t, pub, topic, statusPayload("banana", now.Add(time.Minute)))
		// The hub handles messages in order, so once summary 1 shows, the two
		// statuses before it have been handled.
		publish(t, pub, wire.Topic(wire.DefaultPrefix, "cam-1", wire.KindSummary), summary(1, 1))
		dev := waitDevice(t, srv.URL, 1)
		if dev.State != wire.StateOnline {
			t.Errorf("state %q after an older offline and an invalid status, want online", dev.State)
		}

		publish(t, pub, topic, statusPayload(wire.StateOffline, time.Time{}))
		waitState(t, srv.URL, wire.StateOffline)
	})
}

func summaryInEpoch(epoch string, seq uint64) []byte {
	s := wire.Summary{V: wire.Version, Device: "cam-1", Epoch: epoch, Seq: seq,
		Model: wire.Model{Dims: 2}, Clusters: []wire.Cluster{{ID: int(seq), Count: 1}},
		Frames: wire.Counters{Seen: 1, Embedded: 1}}
	data, _ := wire.Encode(s)
	return data
}

func TestHubStartsNewHistoryForNewEpoch(t *testing.T) {
	forEachStore(t, func(t *testing.T, state Options) {
		broker := mqtttest.Start(t)
		h, srv := startHub(t, broker.URL, state)
		pub := publisher(t, broker.URL)
		topic := wire.Topic(wire.DefaultPrefix, "cam-1", wire.KindSummary)

		for seq := uint64(1); seq <= 3; seq++ {
			publish(t, pub, topic, summaryInEpoch("aaaa", seq))
		}
		waitDevice(t, srv.URL, 3)
		publish(t, pub, topic, summaryInEpoch("bbbb", 1))
		dev := waitDevice(t, srv.URL, 1)
		if dev.Clusters != 1 {
			t.Errorf("clusters %d after the new epoch's first summary, want 1", dev.Clusters)
		}

		d, err := h.store.device("cam-1")
		if err != nil {
			t.Fatal(err)
		}
		if d.Epoch != "bbbb" || d.Summaries.Stored != 1 || d.Summaries.Duplicates != 0 {
			t.Errorf("device epoch %q, summaries %+v; want bbbb with 1 stored, no duplicates",
				d.Epoch, d.Summaries)
		}
		var archived int
		err = h.store.db.View(func(tx kv.Tx) error {
			b := tx.Bucket(archiveBucket).Bucket([]byte("aaaa")).Bucket([]byte("cam-1"))
			return b.Bucket([]byte(wire.KindSummary)).ForEach(func(_, _ []byte) error {
				archived++
				return nil
			})
		})
		if err != nil || archived != 3 {
			t.Errorf("archive holds %d summaries of epoch aaaa (err %v), want 3", archived, err)
		}
	})
}

func TestHubAdoptsFirstEpochWithoutArchive(t *testing.T) {
	forEachStore(t, func(t *testing.T, state Options) {
		broker := mqtttest.Start(t)
		h, srv := startHub(t, broker.URL, state)
		pub := publisher(t, broker.URL)
		topic := wire.Topic(wire.DefaultPrefix, "cam-1", wire.KindSummary)

		publish(t, pub, topic, summaryInEpoch("", 1))
		publish(t, pub, topic, summaryInEpoch("cccc", 2))
		waitDevice(t, srv.URL, 2)
		d, err := h.store.device("cam-1")
		if err != nil {
			t.Fatal(err)
		}
		if d.Epoch != "cccc" || d.Summaries.Stored != 2 {
			t.Errorf("epoch %q, summaries %+v; want cccc with both summaries kept", d.Epoch, d.Summaries)
		}
	})
}
