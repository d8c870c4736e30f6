package delivery

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/edgecluster/edgecluster/sync/hub"
	"github.com/edgecluster/edgecluster/sync/uplink"
	"github.com/edgecluster/edgecluster/sync/wire"
)

const prefix = wire.DefaultPrefix

// Summary size of the benchmarks and load tests: 16 clusters of
// 1280-dimensional centroids, the bundled model's embedding size.
const (
	benchK    = 16
	benchDims = 1280
)

// quietLogger discards logs unless the test runs with -v.
func quietLogger(t testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(&testWriter{t: t}, nil))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

type testWriter struct{ t testing.TB }

func (w *testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(bytes.TrimRight(p, "\n")))
	return len(p), nil
}

// device is a test device: a real uplink with a bbolt outbox that replies to
// resync commands the way the daemon does.
type device struct {
	t      testing.TB
	id     string
	db     *bolt.DB
	up     *uplink.Uplink
	mu     sync.Mutex
	seq    uint64
	replay uint64
}

func openDevice(t testing.TB, url, id string, opts uplink.Options) *device {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), id+".db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	d := &device{t: t, id: id, db: db}
	opts.Broker, opts.ClientID, opts.DB = url, "dev-"+id, db
	opts.StatusTopic = wire.Topic(prefix, id, wire.KindStatus)
	opts.Subscribe = wire.Topic(prefix, id, wire.KindCommand) + "/#"
	opts.OnMessage = d.onCommand
	if opts.Logger == nil {
		opts.Logger = quietLogger(t)
	}
	if opts.Backoff.Max == 0 {
		opts.Backoff = uplink.Backoff{Min: 100 * time.Millisecond, Max: time.Second}
	}
	d.up, err = uplink.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.up.Close(nil) })
	return d
}

// onCommand runs Resend for a resync command and replies to every command.
func (d *device) onCommand(topic string, payload []byte) {
	name, _ := wire.CommandName(prefix, d.id, topic)
	cmd, err := wire.ParseCommand(name, payload)
	r := wire.Reply{V: wire.Version, Device: d.id, ID: cmd.ID, Command: name, OK: err == nil}
	if err == nil && cmd.Name == wire.CmdResync {
		r.Kind = cmd.Kind
		r.Resent, r.Oldest, err = d.up.Resend(wire.Topic(prefix, d.id, cmd.Kind), cmd.From)
	}
	if err != nil {
		r.OK, r.Error = false, err.Error()
	}
	d.mu.Lock()
	d.replay++
	r.Seq = d.replay
	d.mu.Unlock()
	data, _ := wire.Encode(r)
	if err := d.up.Enqueue(uplink.Message{Topic: wire.Topic(prefix, d.id, wire.KindReply),
		Payload: data}); err != nil {
		d.t.Errorf("enqueue reply: %v", err)
	}
}

// produce enqueues the next summary and returns its sequence number.
func (d *device) produce(rng *rand.Rand) uint64 {
	d.mu.Lock()
	d.seq++
	seq := d.seq
	d.mu.Unlock()
	data := summaryPayload(d.id, seq, benchK, benchDims, rng)
	m := uplink.Message{Topic: wire.Topic(prefix, d.id, wire.KindSummary), Payload: data, Seq: seq}
	if err := d.up.Enqueue(m); err != nil {
		d.t.Fatalf("enqueue summary %d: %v", seq, err)
	}
	st, _ := wire.Encode(wire.Status{V: wire.Version, Device: d.id, State: "online",
		LastSeq: seq, OutboxLen: d.up.Len(), Dropped: d.up.Dropped()})
	d.up.SetStatus(st)
	return seq
}

func newRand() *rand.Rand { return rand.New(rand.NewPCG(5, 6)) }

// summaryPayload encodes a summary of k clusters with dims-dimensional
// random centroids. A nil rng gives zero centroids.
func summaryPayload(id string, seq uint64, k, dims int, rng *rand.Rand) []byte {
	s := wire.Summary{V: wire.Version, Device: id, Seq: seq,
		Time:  time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(seq) * time.Second),
		Model: wire.Model{Name: "test", SHA256: "00", Dims: dims}}
	for c := 0; c < k; c++ {
		vec := make(wire.Vector, dims)
		for i := range vec {
			if rng != nil {
				vec[i] = float32(rng.NormFloat64() * 0.05)
			}
		}
		s.Frames.Seen += 10
		s.Frames.Embedded += 10
		s.Clusters = append(s.Clusters, wire.Cluster{ID: c, Count: 10, Centroid: vec,
			Exemplars: []uint64{seq * 10}, FirstSeen: s.Time, LastSeen: s.Time})
	}
	data, err := wire.Encode(s)
	if err != nil {
		panic(err)
	}
	return data
}

func startHub(t testing.TB, url string, opts hub.Options) *hub.Hub {
	t.Helper()
	opts.Broker = url
	if opts.StatePath == "" {
		opts.StatePath = filepath.Join(t.TempDir(), "hub.db")
	}
	if opts.Logger == nil {
		opts.Logger = quietLogger(t)
	}
	if opts.ResyncInterval == 0 {
		opts.ResyncInterval = 500 * time.Millisecond
	}
	h, err := hub.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	h.Start()
	if !h.WaitConnected(5 * time.Second) {
		t.Fatal("hub did not connect")
	}
	time.Sleep(200 * time.Millisecond) // let the subscription settle
	t.Cleanup(func() { h.Close() })
	return h
}

// waitAll waits until the hubs together store summaries 1..n of device.
func waitAll(t testing.TB, hubs []*hub.Hub, device string, n uint64, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	var got []uint64
	for time.Now().Before(deadline) {
		got = allSeqs(t, hubs, device)
		if uint64(len(got)) >= n {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	checkSeqs(t, got, n)
}

func allSeqs(t testing.TB, hubs []*hub.Hub, device string) []uint64 {
	t.Helper()
	var out []uint64
	for _, h := range hubs {
		seqs, err := h.Seqs(device, wire.KindSummary)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, seqs...)
	}
	return out
}

// checkSeqs checks that seqs, sorted as each hub stores them, is exactly
// 1..n once each.
func checkSeqs(t testing.TB, seqs []uint64, n uint64) {
	t.Helper()
	count := map[uint64]int{}
	for _, s := range seqs {
		count[s]++
	}
	var missing, repeated []uint64
	for s := uint64(1); s <= n; s++ {
		switch {
		case count[s] == 0:
			missing = append(missing, s)
		case count[s] > 1:
			repeated = append(repeated, s)
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d of %d summaries missing, first %v", len(missing), n, head(missing))
	}
	if len(repeated) > 0 {
		t.Errorf("%d summaries stored more than once, first %v", len(repeated), head(repeated))
	}
	beyond := 0
	for _, s := range seqs {
		if s < 1 || s > n {
			beyond++
		}
	}
	if beyond > 0 {
		t.Errorf("%d stored summaries are outside 1..%d", beyond, n)
	}
}

func head(s []uint64) string {
	if len(s) > 10 {
		s = s[:10]
	}
	return fmt.Sprint(s)
}
