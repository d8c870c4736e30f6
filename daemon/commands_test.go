package daemon

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/edgecluster/edgecluster/internal/mqtttest"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// mqttPeer plays the hub: it records what the device publishes and sends
// commands.
type mqttPeer struct {
	client mqtt.Client
	mu     sync.Mutex
	got    map[string][][]byte // payloads by message kind
}

func newPeer(t *testing.T, url string) *mqttPeer {
	t.Helper()
	p := &mqttPeer{got: map[string][][]byte{}}
	p.client = mqtt.NewClient(mqtt.NewClientOptions().AddBroker(url).SetClientID("peer"))
	if tok := p.client.Connect(); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("peer connect: %v", tok.Error())
	}
	t.Cleanup(func() { p.client.Disconnect(100) })
	tok := p.client.Subscribe("edgecluster/cam-test/+", 1, func(_ mqtt.Client, m mqtt.Message) {
		_, kind, _ := wire.ParseTopic(wire.DefaultPrefix, m.Topic())
		p.mu.Lock()
		p.got[kind] = append(p.got[kind], m.Payload())
		p.mu.Unlock()
	})
	if !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("peer subscribe: %v", tok.Error())
	}
	return p
}

func (p *mqttPeer) send(t *testing.T, name, payload string) {
	t.Helper()
	topic := wire.CommandTopic(wire.DefaultPrefix, "cam-test", name)
	if tok := p.client.Publish(topic, 1, false, payload); !tok.WaitTimeout(5 * time.Second) {
		t.Fatal("command publish timed out")
	}
}

// wait returns the payloads of kind once there are at least n.
func (p *mqttPeer) wait(t *testing.T, kind string, n int) [][]byte {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		p.mu.Lock()
		got := append([][]byte(nil), p.got[kind]...)
		p.mu.Unlock()
		if len(got) >= n {
			return got
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("fewer than %d %s messages within 30 s", n, kind)
	return nil
}

// replies decodes every reply by request id.
func (p *mqttPeer) replies(t *testing.T, n int) map[string]wire.Reply {
	t.Helper()
	out := map[string]wire.Reply{}
	for _, data := range p.wait(t, wire.KindReply, n) {
		r, err := wire.DecodeReply(data)
		if err != nil {
			t.Fatal(err)
		}
		out[r.ID] = r
	}
	return out
}

func runInBackground(t *testing.T, cfg Config) (cancel func() Result) {
	ctx, stop := context.WithCancel(context.Background())
	opts := testOptions()
	opts.Once = false
	done := make(chan Result)
	go func() {
		res, err := Run(ctx, cfg, opts)
		if err != nil {
			t.Errorf("run: %v", err)
		}
		done <- res
	}()
	return func() Result {
		stop()
		return <-done
	}
}

func TestCommandsFromHub(t *testing.T) {
	broker := mqtttest.Start(t)
	peer := newPeer(t, broker.URL)
	cfg := testConfig(t, writeClip(t, clipFrames(t, 0, 20)), filepath.Join(t.TempDir(), "s.db"))
	cfg.MQTT.Broker = broker.URL
	stop := runInBackground(t, cfg)
	peer.wait(t, wire.KindSummary, 1)

	peer.send(t, "reboot", `{"v":1,"id":"c1"}`)
	peer.send(t, wire.CmdLabel, `{"v":1,"id":"c2"`)
	peer.send(t, wire.CmdLabel, `{"v":1,"id":"c3","cluster":99,"label":"x"}`)
	peer.send(t, wire.CmdLabel, `{"v":1,"id":"c4","cluster":1,"label":"door"}`)
	peer.send(t, wire.CmdConfig, `{"v":1,"id":"c5","set":{"summary.every_frames":5}}`)
	peer.send(t, wire.CmdResync, `{"v":1,"id":"c6","kind":"summary","from":1}`)
	got := peer.replies(t, 6)
	res := stop()

	tests := []struct {
		id      string
		ok      bool
		errPart string
	}{
		{"c1", false, "unknown command"},
		{"", false, "malformed"},
		{"c3", false, "cluster 99 not found"},
		{"c4", true, ""},
		{"c5", true, ""},
		{"c6", true, ""},
	}
	for _, tt := range tests {
		r, ok := got[tt.id]
		if !ok {
			t.Errorf("no reply with id %q in %+v", tt.id, got)
			continue
		}
		if r.OK != tt.ok || !strings.Contains(r.Error, tt.errPart) {
			t.Errorf("reply %q = ok %v, error %q; want ok %v, error containing %q",
				tt.id, r.OK, r.Error, tt.ok, tt.errPart)
		}
	}
	if r := got["c6"]; r.Resent < 1 || r.Oldest != 1 {
		t.Errorf("resync reply resent %d, oldest %d; want >= 1 and 1", r.Resent, r.Oldest)
	}

	sums := peer.wait(t, wire.KindSummary, res.Summaries)
	last, err := wire.DecodeSummary(sums[len(sums)-1])
	if err != nil {
		t.Fatal(err)
	}
	labels := map[int]string{}
	for _, c := range last.Clusters {
		labels[c.ID] = c.Label
	}
	if labels[1] != "door" {
		t.Errorf("final summary labels %v, want cluster 1 = door", labels)
	}
	if events := peer.wait(t, wire.KindEvent, 1); len(events) < 3 {
		t.Errorf("%d events, want a cluster_new event for each of the 3 clusters", len(events))
	}
}

func TestResetCommand(t *testing.T) {
	broker := mqtttest.Start(t)
	peer := newPeer(t, broker.URL)
	cfg := testConfig(t, writeClip(t, clipFrames(t, 0, 12)), filepath.Join(t.TempDir(), "s.db"))
	cfg.MQTT.Broker = broker.URL
	stop := runInBackground(t, cfg)
	first, err := wire.DecodeSummary(peer.wait(t, wire.KindSummary, 1)[0])
	if err != nil {
		t.Fatal(err)
	}

	peer.send(t, wire.CmdReset, `{"v":1,"id":"r1"}`)
	if r := peer.replies(t, 1)["r1"]; !r.OK {
		t.Errorf("reset reply %+v, want ok", r)
	}
	res := stop()
	// The counters restart at the reset, so they end below the count the
	// first summary had, whatever frames follow the reset.
	if res.Frames.Embedded >= first.Frames.Embedded {
		t.Errorf("embedded %d at the end, want fewer than the %d before the reset",
			res.Frames.Embedded, first.Frames.Embedded)
	}
	var types []string
	for _, data := range peer.wait(t, wire.KindEvent, 1) {
		var e wire.Event
		if err := json.Unmarshal(data, &e); err != nil {
			t.Fatal(err)
		}
		types = append(types, e.Type)
	}
	if types[len(types)-1] != wire.EventReset {
		t.Errorf("events %v, want the last to be %q", types, wire.EventReset)
	}
}

func TestIsNoveltyBurst(t *testing.T) {
	tests := []struct {
		known, fresh int
		want         bool
	}{
		{0, 8, false}, // first summary after seeding
		{8, 2, false},
		{8, 3, true},
		{3, 5, true},
	}
	for _, tt := range tests {
		if got := isNoveltyBurst(tt.known, tt.fresh); got != tt.want {
			t.Errorf("isNoveltyBurst(%d, %d) = %v, want %v", tt.known, tt.fresh, got, tt.want)
		}
	}
}
