package hub

import (
	"bytes"
	"image"
	"image/jpeg"
	"io"
	"net/http"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/edgecluster/edgecluster/internal/mqtttest"
	"github.com/edgecluster/edgecluster/sync/wire"
)

func testJPEG(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 6)), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// exemplarsMessage returns an exemplars message of device "cam" with the
// given (cluster, frame) pairs and 2-d vectors.
func exemplarsMessage(t *testing.T, pairs ...[2]int) wire.Exemplars {
	m := wire.Exemplars{V: wire.Version, Device: "cam", Seq: 1,
		Model: wire.Model{Name: "m", SHA256: "abc", Dims: 2}}
	for _, p := range pairs {
		m.Items = append(m.Items, wire.Exemplar{Cluster: p[0], Frame: uint64(p[1]),
			Time: time.Unix(int64(p[1]), 0).UTC(), JPEG: testJPEG(t), Vector: wire.Vector{1, 0}})
	}
	return m
}

func TestExemplarStoreBounds(t *testing.T) {
	forEachStore(t, testExemplarStoreBounds)
}

func testExemplarStoreBounds(t *testing.T, state Options) {
	h, _ := uiHub(t, state)
	var pairs [][2]int
	for f := range MaxExemplarsPerCluster + 10 {
		pairs = append(pairs, [2]int{1, f}, [2]int{2, 1000 + f})
	}
	if err := h.ingestExemplars(exemplarsMessage(t, pairs[:100]...)); err != nil {
		t.Fatal(err)
	}
	if err := h.ingestExemplars(exemplarsMessage(t, pairs[100:]...)); err != nil {
		t.Fatal(err)
	}
	stored, err := h.store.exemplars("cam")
	if err != nil {
		t.Fatal(err)
	}
	perCluster := map[int][]uint64{}
	for _, e := range stored {
		perCluster[e.Cluster] = append(perCluster[e.Cluster], e.Frame)
	}
	for id, frames := range perCluster {
		if len(frames) != MaxExemplarsPerCluster {
			t.Errorf("cluster %d keeps %d exemplars, want %d", id, len(frames),
				MaxExemplarsPerCluster)
		}
	}
	if got := perCluster[1][0]; got != 10 {
		t.Errorf("cluster 1 lowest kept frame = %d, want 10 (the lowest ones go first)", got)
	}
}

func TestExemplarMovesWithMerge(t *testing.T) {
	h, _ := uiHub(t, boltState(t))
	if err := h.ingestExemplars(exemplarsMessage(t, [2]int{3, 7})); err != nil {
		t.Fatal(err)
	}
	if err := h.ingestExemplars(exemplarsMessage(t, [2]int{1, 7})); err != nil {
		t.Fatal(err)
	}
	e, err := h.store.exemplar("cam", 7)
	if err != nil || e.Cluster != 1 {
		t.Errorf("exemplar 7 = cluster %d, %v, want cluster 1", e.Cluster, err)
	}
}

func TestServeExemplarJPEG(t *testing.T) {
	h, srv := uiHub(t, boltState(t))
	if err := h.ingestExemplars(exemplarsMessage(t, [2]int{1, 42})); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path     string
		wantCode int
	}{
		{"/api/v1/devices/cam/exemplar/42.jpg", http.StatusOK},
		{"/api/v1/devices/cam/exemplar/43.jpg", http.StatusNotFound},
		{"/api/v1/devices/other/exemplar/42.jpg", http.StatusNotFound},
		{"/api/v1/devices/cam/exemplar/42.png", http.StatusBadRequest},
		{"/api/v1/devices/cam/exemplar/-1.jpg", http.StatusBadRequest},
		{"/api/v1/devices/cam/exemplar/..%2F..%2Fhub.db", http.StatusBadRequest},
		{"/api/v1/devices/cam/exemplar/%2E%2E.jpg", http.StatusBadRequest},
		{"/api/v1/devices/..%2Fx/exemplar/42.jpg", http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, err := http.Get(srv.URL + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.wantCode {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.wantCode, body)
			}
			if tt.wantCode != http.StatusOK {
				return
			}
			if ct := resp.Header.Get("Content-Type"); ct != "image/jpeg" {
				t.Errorf("Content-Type %q, want image/jpeg", ct)
			}
			if _, err := jpeg.Decode(bytes.NewReader(body)); err != nil {
				t.Errorf("body does not decode as JPEG: %v", err)
			}
		})
	}
}

// An exemplar labelled by a person spreads its label to the nearby
// unlabelled cluster even when no cluster is labelled.
func TestSuggestionsFromExemplars(t *testing.T) {
	ms := []Member{
		{Device: "cam", Cluster: 1, Centroid: wire.Vector{1, 0}},
		{Device: "cam", Cluster: 2, Centroid: wire.Vector{0, 1}},
		{Device: "cam", Cluster: 3, Centroid: wire.Vector{-1, 0}},
	}
	pts := []exemplarPoint{
		{Label: "door", Vector: wire.Vector{0.98, 0.05}},
		{Vector: wire.Vector{0.97, -0.05}},
		{Label: "street", Vector: wire.Vector{0.02, 0.99}},
		{Vector: wire.Vector{-0.99, 0.03}},
	}
	sug, queue := suggestModel(ms, pts)
	got := map[int]string{}
	for _, s := range sug {
		got[s.Cluster] = s.Label
	}
	if got[1] != "door" || got[2] != "street" {
		t.Errorf("suggestions = %v, want cluster 1 door and cluster 2 street", got)
	}
	for _, q := range queue {
		if q.Device != "cam" || q.Cluster < 1 || q.Cluster > 3 {
			t.Errorf("queue entry %+v is not a cluster", q)
		}
	}
	if sug, _ := suggestModel(ms, nil); len(sug) != 0 {
		t.Errorf("without labelled exemplars: %d suggestions, want 0", len(sug))
	}
}

// A summary that lists an exemplar the hub lacks makes the hub ask the
// device for its exemplars, once per ExemplarRequestInterval.
func TestHubRequestsMissingExemplars(t *testing.T) {
	broker := mqtttest.Start(t)
	startHub(t, broker.URL, boltState(t))
	pub := publisher(t, broker.URL)
	got := make(chan wire.Command, 4)
	topic := wire.CommandTopic(wire.DefaultPrefix, "cam-1", wire.CmdSendExemplars)
	tok := pub.Subscribe(topic, 1, func(_ mqtt.Client, m mqtt.Message) {
		cmd, err := wire.ParseCommand(wire.CmdSendExemplars, m.Payload())
		if err != nil {
			t.Errorf("send_exemplars command: %v", err)
		}
		got <- cmd
	})
	if !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("subscribe: %v", tok.Error())
	}

	for seq := uint64(1); seq <= 2; seq++ {
		s := wire.Summary{V: wire.Version, Device: "cam-1", Seq: seq, Model: wire.Model{Dims: 2},
			Clusters: []wire.Cluster{{ID: 0, Exemplars: []uint64{5}, Centroid: wire.Vector{1, 0}}}}
		data, _ := wire.Encode(s)
		publish(t, pub, wire.Topic(wire.DefaultPrefix, "cam-1", wire.KindSummary), data)
	}
	select {
	case cmd := <-got:
		if cmd.Cluster != -1 {
			t.Errorf("request for cluster %d, want all (-1)", cmd.Cluster)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("hub never requested the missing exemplar")
	}
	select {
	case cmd := <-got:
		t.Errorf("second request %+v within ExemplarRequestInterval", cmd)
	case <-time.After(300 * time.Millisecond):
	}
}
