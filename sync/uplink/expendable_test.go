package uplink

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/internal/mqtttest"
)

// TestUplinkKeepsSummariesWhenExemplarsFillOutbox queues summaries and
// events between large exemplar messages while the broker is away, with an
// outbox far too small for all of them, and checks that every summary and
// event arrives once the broker is back.
func TestUplinkKeepsSummariesWhenExemplarsFillOutbox(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	db := openDB(t, path)
	u, err := New(Options{Broker: "tcp://127.0.0.1:1", ClientID: "dev-" + t.Name(),
		StatusTopic: "t/dev/status", DB: db, MaxMessages: 40, MaxBytes: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	thumbs := bytes.Repeat([]byte{'j'}, 8<<10)
	var want []string
	for i := 1; i <= 15; i++ {
		want = append(want, fmt.Sprint("event ", i))
		push(t, u, Message{Topic: "t/dev/event", Payload: []byte(want[len(want)-1])})
		if i <= 2 {
			want = append(want, fmt.Sprint("summary ", i))
			push(t, u, Message{Topic: "t/dev/summary", Payload: []byte(want[len(want)-1])})
		}
		for j := 0; j < 4; j++ {
			push(t, u, Message{Topic: "x/dev/exemplars", Payload: thumbs, Expendable: true})
		}
	}
	if u.Dropped() != 0 || u.DroppedExpendable() == 0 {
		t.Fatalf("dropped %d, expendable %d; want 0 and more than 0", u.Dropped(),
			u.DroppedExpendable())
	}
	u.Close(nil)
	db.Close()

	broker := mqtttest.Start(t)
	sub := subscribe(t, broker.URL, "t/dev/+")
	u = newUplink(t, broker.URL, openDB(t, path))
	u.Start()
	defer u.Close(nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := u.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	got := sub.waitFor(t, len(want))
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("received %q, want %q", got, want)
	}
}

func push(t *testing.T, u *Uplink, m Message) {
	t.Helper()
	if err := u.Enqueue(m); err != nil {
		t.Fatal(err)
	}
}
