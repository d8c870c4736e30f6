package uplink

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	bolt "go.etcd.io/bbolt"

	"github.com/edgecluster/edgecluster/internal/mqtttest"
)

func openDB(t *testing.T, path string) *bolt.DB {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// collector subscribes to a topic filter and records payloads in order.
type collector struct {
	mu  sync.Mutex
	got []string
}

func subscribe(t *testing.T, url, filter string) *collector {
	t.Helper()
	c := &collector{}
	opts := mqtt.NewClientOptions().AddBroker(url).SetClientID("test-sub-" + t.Name()).
		SetAutoReconnect(true).SetCleanSession(false).SetOrderMatters(true)
	opts.SetOnConnectHandler(func(cl mqtt.Client) {
		cl.Subscribe(filter, 1, func(_ mqtt.Client, m mqtt.Message) {
			c.mu.Lock()
			c.got = append(c.got, string(m.Payload()))
			c.mu.Unlock()
		}).Wait()
	})
	cl := mqtt.NewClient(opts)
	if tok := cl.Connect(); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("subscriber connect: %v", tok.Error())
	}
	t.Cleanup(func() { cl.Disconnect(100) })
	time.Sleep(100 * time.Millisecond)
	return c
}

func (c *collector) waitFor(t *testing.T, n int) []string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		c.mu.Lock()
		got := append([]string(nil), c.got...)
		c.mu.Unlock()
		if len(got) >= n {
			return got
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("received %d messages, want %d: %v", len(c.got), n, c.got)
	return nil
}

func newUplink(t *testing.T, url string, db *bolt.DB) *Uplink {
	t.Helper()
	u, err := New(Options{Broker: url, ClientID: "dev-" + t.Name(), StatusTopic: "t/dev/status",
		Will: []byte("offline"), DB: db, AckTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func enqueue(t *testing.T, u *Uplink, from, to int) {
	t.Helper()
	for i := from; i < to; i++ {
		if err := u.Enqueue(Message{Topic: "t/dev/summary", Payload: []byte(fmt.Sprint(i))}); err != nil {
			t.Fatal(err)
		}
	}
}

func checkOrder(t *testing.T, got []string, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		if got[i] != fmt.Sprint(i) {
			t.Fatalf("message %d is %q, want %q (all: %v)", i, got[i], fmt.Sprint(i), got)
		}
	}
}

// TestUplinkSurvivesBrokerOutage uses a persistent broker so that the
// subscriber's session, and the messages queued for it, survive the restart.
func TestUplinkSurvivesBrokerOutage(t *testing.T) {
	broker := mqtttest.StartWith(t, mqtttest.Options{Persistence: true})
	sub := subscribe(t, broker.URL, "t/dev/summary")
	u := newUplink(t, broker.URL, openDB(t, filepath.Join(t.TempDir(), "s.db")))
	u.Start()
	enqueue(t, u, 0, 10)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := u.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if n := u.Reconnects(); n != 0 {
		t.Errorf("reconnects before the outage = %d, want 0", n)
	}

	broker.Stop()
	enqueue(t, u, 10, 30)
	if n := u.Len(); n != 20 {
		t.Errorf("outbox holds %d messages while the broker is down, want 20", n)
	}
	broker.Restart()
	if err := u.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	checkOrder(t, sub.waitFor(t, 30), 30)
	if n := u.Reconnects(); n != 1 {
		t.Errorf("reconnects after one outage = %d, want 1", n)
	}
	if err := u.Close([]byte("bye")); err != nil {
		t.Errorf("close: %v", err)
	}
}

func TestOutboxSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	db := openDB(t, path)
	u := newUplink(t, "tcp://127.0.0.1:1", db)
	enqueue(t, u, 0, 5)
	if err := u.Close(nil); err != nil {
		t.Fatal(err)
	}
	db.Close()

	broker := mqtttest.Start(t)
	sub := subscribe(t, broker.URL, "t/dev/summary")
	u = newUplink(t, broker.URL, openDB(t, path))
	if n := u.Len(); n != 5 {
		t.Fatalf("reopened outbox holds %d messages, want 5", n)
	}
	u.Start()
	defer u.Close(nil)
	checkOrder(t, sub.waitFor(t, 5), 5)
}
