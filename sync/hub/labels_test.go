package hub

import (
	"encoding/json"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/edgecluster/edgecluster/internal/mqtttest"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// fakeDevice subscribes to cam-1's label commands and answers each with a
// reply whose ok is ok.
func fakeDevice(t *testing.T, c mqtt.Client, ok bool) <-chan wire.Command {
	t.Helper()
	got := make(chan wire.Command, 16)
	topic := wire.CommandTopic(wire.DefaultPrefix, "cam-1", wire.CmdLabel)
	var seq uint64
	tok := c.Subscribe(topic, 1, func(_ mqtt.Client, m mqtt.Message) {
		cmd, err := wire.ParseCommand(wire.CmdLabel, m.Payload())
		if err != nil {
			t.Errorf("label command: %v", err)
			return
		}
		got <- cmd
		seq++
		r := wire.Reply{V: wire.Version, Device: "cam-1", Seq: seq, ID: cmd.ID,
			Command: wire.CmdLabel, OK: ok}
		if !ok {
			r.Error = "cluster not found"
		}
		data, _ := wire.Encode(r)
		c.Publish(wire.Topic(wire.DefaultPrefix, "cam-1", wire.KindReply), 1, false, data)
	})
	if !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("subscribe: %v", tok.Error())
	}
	return got
}

func status(state string, started time.Time) []byte {
	data, _ := json.Marshal(wire.Status{V: wire.Version, Device: "cam-1", State: state,
		Started: started, Time: time.Now().UTC()})
	return data
}

// waitLabel polls the store until cam-1's cluster label reaches state.
func waitLabel(t *testing.T, h *Hub, cluster int, state string) Label {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	var last []Label
	for time.Now().Before(deadline) {
		last, _ = h.Labels("cam-1")
		for _, l := range last {
			if l.Cluster == cluster && l.Exemplar == nil && l.State == state {
				return l
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("cluster %d label never reached %q: %+v", cluster, state, last)
	return Label{}
}

func TestLabelReachesDeviceAfterReconnect(t *testing.T) {
	forEachStore(t, func(t *testing.T, state Options) {
		broker := mqtttest.Start(t)
		h, _ := startHub(t, broker.URL, state)
		pub := publisher(t, broker.URL)
		statusTopic := wire.Topic(wire.DefaultPrefix, "cam-1", wire.KindStatus)
		started := time.Now().UTC().Truncate(time.Second)
		publish(t, pub, statusTopic, status(wire.StateOffline, started))

		if _, err := h.SetClusterLabel("cam-1", 3, "front door", "alice"); err != nil {
			t.Fatal(err)
		}
		l := waitLabel(t, h, 3, LabelPending)
		if l.Sent != 1 {
			t.Errorf("sent %d while offline, want 1", l.Sent)
		}

		got := fakeDevice(t, pub, true)
		publish(t, pub, statusTopic, status(wire.StateOnline, started))
		select {
		case cmd := <-got:
			if cmd.Cluster != 3 || cmd.Label != "front door" {
				t.Errorf("command %+v, want cluster 3 label front door", cmd)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("label not sent again when the device came online")
		}
		l = waitLabel(t, h, 3, LabelConfirmed)
		if l.Author != "alice" {
			t.Errorf("author %q, want alice", l.Author)
		}
	})
}

func TestLabelRejectedByDevice(t *testing.T) {
	broker := mqtttest.Start(t)
	h, _ := startHub(t, broker.URL, boltState(t))
	pub := publisher(t, broker.URL)
	fakeDevice(t, pub, false)

	if _, err := h.SetClusterLabel("cam-1", 9, "hall", "bob"); err != nil {
		t.Fatal(err)
	}
	l := waitLabel(t, h, 9, LabelRejected)
	if l.Error != "cluster not found" {
		t.Errorf("error %q, want the device's reason", l.Error)
	}
}

func TestLabelRenameKeepsHistory(t *testing.T) {
	forEachStore(t, func(t *testing.T, state Options) {
		broker := mqtttest.Start(t)
		h, _ := startHub(t, broker.URL, state)

		h.SetClusterLabel("cam-1", 1, "door", "alice")
		l, err := h.SetClusterLabel("cam-1", 1, "back door", "bob")
		if err != nil {
			t.Fatal(err)
		}
		if len(l.History) != 1 {
			t.Fatalf("history %+v, want one entry", l.History)
		}
		if l.History[0].Name != "door" || l.History[0].Author != "alice" {
			t.Errorf("history %+v, want door by alice", l.History[0])
		}
		if l.Name != "back door" || l.Author != "bob" {
			t.Errorf("label %q by %q, want back door by bob", l.Name, l.Author)
		}
	})
}

func TestLabelInvalidName(t *testing.T) {
	broker := mqtttest.Start(t)
	h, _ := startHub(t, broker.URL, boltState(t))
	tests := []struct {
		name string
		want bool
	}{
		{"door", true},
		{"", true},
		{"a\nb", false},
		{string(make([]byte, wire.MaxLabelLen+1)), false},
	}
	for _, tt := range tests {
		_, err := h.SetClusterLabel("cam-1", 1, tt.name, "alice")
		if (err == nil) != tt.want {
			t.Errorf("SetClusterLabel(%q) error %v, want ok=%v", tt.name, err, tt.want)
		}
	}
}

func TestMergeKeepsSurvivorLabel(t *testing.T) {
	forEachStore(t, func(t *testing.T, state Options) {
		broker := mqtttest.Start(t)
		h, _ := startHub(t, broker.URL, state)
		pub := publisher(t, broker.URL)
		h.SetClusterLabel("cam-1", 2, "kitchen", "alice")
		h.SetClusterLabel("cam-1", 5, "hall", "alice")

		retired, into := 5, 2
		e := wire.Event{V: wire.Version, Device: "cam-1", Seq: 1, Time: time.Now().UTC(),
			Type: wire.EventClusterMerged, Cluster: &retired, Into: &into}
		data, _ := wire.Encode(e)
		publish(t, pub, wire.Topic(wire.DefaultPrefix, "cam-1", wire.KindEvent), data)

		old := waitLabel(t, h, 5, LabelRetired)
		if old.MergedInto == nil || *old.MergedInto != 2 {
			t.Errorf("merged into %v, want 2", old.MergedInto)
		}
		survivor := waitLabel(t, h, 2, LabelPending)
		if survivor.Name != "kitchen" {
			t.Errorf("survivor label %q, want kitchen", survivor.Name)
		}
		if len(survivor.Absorbed) != 1 || survivor.Absorbed[0].Name != "hall" {
			t.Errorf("absorbed %+v, want hall from cluster 5", survivor.Absorbed)
		}
	})
}

func TestNewEpochRetiresLabels(t *testing.T) {
	forEachStore(t, func(t *testing.T, state Options) {
		broker := mqtttest.Start(t)
		h, _ := startHub(t, broker.URL, state)
		pub := publisher(t, broker.URL)
		topic := wire.Topic(wire.DefaultPrefix, "cam-1", wire.KindStatus)
		send := func(epoch string) {
			data, _ := json.Marshal(wire.Status{V: wire.Version, Device: "cam-1",
				State: wire.StateOffline, Epoch: epoch, Time: time.Now().UTC()})
			publish(t, pub, topic, data)
		}
		send("e1")
		h.SetClusterLabel("cam-1", 4, "porch", "alice")
		waitLabel(t, h, 4, LabelPending)

		send("e2")
		l := waitLabel(t, h, 4, LabelRetired)
		if l.Name != "porch" {
			t.Errorf("retired label %q, want porch kept", l.Name)
		}
		if len(l.History) != 1 || l.History[0].State != LabelPending {
			t.Errorf("history %+v, want the pending label", l.History)
		}
	})
}
