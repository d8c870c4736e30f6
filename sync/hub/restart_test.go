package hub

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/edgecluster/edgecluster/internal/mqtttest"
	"github.com/edgecluster/edgecluster/internal/pgtest"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// TestRestartKeepsState closes a hub that stored summaries and a label
// and checks that a new hub on the same store has them.
func TestRestartKeepsState(t *testing.T) {
	forEachStore(t, func(t *testing.T, state Options) {
		broker := mqtttest.Start(t)
		h, srv := startHub(t, broker.URL, state)
		pub := publisher(t, broker.URL)
		for seq := uint64(1); seq <= 3; seq++ {
			publish(t, pub, wire.Topic(wire.DefaultPrefix, "cam-1", wire.KindSummary),
				summaryInEpoch("aaaa", seq))
		}
		waitDevice(t, srv.URL, 3)
		if _, err := h.SetExemplarLabel("cam-1", 2, 17, "cat", "admin"); err != nil {
			t.Fatal(err)
		}
		srv.Close()
		h.Close()

		h, _ = startHub(t, broker.URL, state)
		d, err := h.Device("cam-1")
		if err != nil {
			t.Fatal(err)
		}
		if d.Epoch != "aaaa" || d.Summaries.Stored != 3 || d.Summary == nil || d.Summary.Seq != 3 {
			t.Errorf("device after restart: epoch %q, summaries %+v; want aaaa, 3 stored, latest 3",
				d.Epoch, d.Summaries)
		}
		history, err := h.store.history("cam-1", wire.KindSummary, 1, 10)
		if err != nil || len(history) != 3 {
			t.Errorf("history after restart holds %d summaries (err %v), want 3", len(history), err)
		}
		labels, err := h.Labels("cam-1")
		if err != nil || len(labels) != 1 || labels[0].Name != "cat" {
			t.Errorf("labels after restart %+v (err %v), want cat", labels, err)
		}
	})
}

// TestLogsHideStorePassword starts a hub whose connection string has a
// password, which the test server accepts because it trusts every
// loopback connection, and checks the logs.
func TestLogsHideStorePassword(t *testing.T) {
	dsn := postgresState(t).Store
	var logs bytes.Buffer
	withPassword := strings.Replace(dsn, pgtest.User+"@", pgtest.User+":s3cret@", 1)
	broker := mqtttest.Start(t)
	h, err := New(Options{Broker: broker.URL, Store: withPassword,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	h.Start()
	h.Close()

	if strings.Contains(logs.String(), "s3cret") {
		t.Errorf("logs show the password:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), pgtest.User+":xxxxx@") {
		t.Errorf("logs do not name the store:\n%s", logs.String())
	}
}
