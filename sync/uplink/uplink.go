package uplink

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	bolt "go.etcd.io/bbolt"

	"github.com/edgecluster/edgecluster/internal/clock"
	"github.com/edgecluster/edgecluster/internal/mqttclient"
	"github.com/edgecluster/edgecluster/internal/tlsfiles"
)

// ErrClosed is returned by Enqueue and Flush after Close.
var ErrClosed = errors.New("uplink: closed")

// Options configures an Uplink. Broker, ClientID, StatusTopic and DB are
// required. Every other zero value is a documented default.
type Options struct {
	// Broker is the MQTT server URL, such as tcp://127.0.0.1:1883 or
	// ssl://broker:8883.
	Broker string

	// ClientID identifies the MQTT session. It must be unique on the broker.
	ClientID string

	// Username and Password authenticate to the broker when Username is set.
	Username string
	Password string

	// TLS names the CA bundle and client certificate. The zero value uses
	// the system roots for ssl:// brokers and no client certificate.
	TLS tlsfiles.Files

	// StatusTopic receives the retained status and the last will.
	StatusTopic string

	// Will is the retained payload the broker publishes on StatusTopic when
	// the connection is lost without a clean disconnect.
	Will []byte

	// Subscribe is a topic filter subscribed at QoS 1 on every connection.
	// "" means none. OnMessage receives what arrives on it.
	Subscribe string
	OnMessage func(topic string, payload []byte)

	// KeepAlive is the MQTT keepalive interval. 0 means 30 s.
	KeepAlive time.Duration

	// AckTimeout bounds the wait for one PUBACK. 0 means 10 s.
	AckTimeout time.Duration

	// InFlight is how many messages the drain publishes before it waits
	// for their PUBACKs. 0 means 64.
	InFlight int

	// MaxMessages and MaxBytes cap the outbox. 0 means DefaultMaxMessages
	// and DefaultMaxBytes. When a new message does not fit, expendable
	// messages are dropped first, then the oldest; both are counted and
	// logged.
	MaxMessages int
	MaxBytes    int64

	// KeepSent is how many acknowledged messages are kept for Resend. 0
	// means DefaultKeepSent. They also take at most MaxBytes/4 bytes.
	KeepSent int

	// Backoff spaces connection attempts. The zero value is documented on
	// Backoff.
	Backoff Backoff

	// Clock times reconnect delays. Nil means the system clock.
	Clock clock.Clock

	// DB stores the outbox in buckets of its own.
	DB *bolt.DB

	// Logger receives connection and drop events. Nil means slog.Default().
	Logger *slog.Logger
}

// Uplink publishes a device's messages. Its methods are safe for concurrent use.
type Uplink struct {
	opts   Options
	log    *slog.Logger
	box    *outbox
	client mqtt.Client
	clock  clock.Clock
	wake   chan struct{}
	status chan StatusFunc
	done   chan struct{}
	wg     sync.WaitGroup
	mu     sync.Mutex
	closed bool
	last   StatusFunc // latest status, sent again after every reconnect

	// down and warned are used only by the run goroutine: when the current
	// outage began and when it was last logged as a warning.
	down, warned time.Time

	connects atomic.Uint64
}

// New checks opts and opens the outbox. It does not connect: call Start.
func New(opts Options) (*Uplink, error) {
	if opts.Broker == "" || opts.ClientID == "" || opts.StatusTopic == "" || opts.DB == nil {
		return nil, errors.New("uplink: Broker, ClientID, StatusTopic and DB are required")
	}
	applyDefaults(&opts)
	box, err := openOutbox(opts.DB, opts.MaxMessages, opts.MaxBytes, opts.KeepSent)
	if err != nil {
		return nil, err
	}
	u := &Uplink{
		opts: opts, box: box, clock: clock.Or(opts.Clock),
		log:    opts.Logger.With("component", "uplink", "broker", opts.Broker),
		wake:   make(chan struct{}, 1),
		status: make(chan StatusFunc, 1),
		done:   make(chan struct{}),
	}
	co, err := u.clientOptions()
	if err != nil {
		return nil, err
	}
	u.client = mqtt.NewClient(co)
	return u, nil
}

func applyDefaults(o *Options) {
	if o.KeepAlive <= 0 {
		o.KeepAlive = 30 * time.Second
	}
	if o.AckTimeout <= 0 {
		o.AckTimeout = 10 * time.Second
	}
	if o.InFlight <= 0 {
		o.InFlight = 64
	}
	if o.MaxMessages <= 0 {
		o.MaxMessages = DefaultMaxMessages
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.KeepSent <= 0 {
		o.KeepSent = DefaultKeepSent
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
}

// clientOptions configures paho without its own reconnect logic: run
// reconnects with a jittered backoff on the injected clock instead.
func (u *Uplink) clientOptions() (*mqtt.ClientOptions, error) {
	co := mqtt.NewClientOptions().
		AddBroker(u.opts.Broker).
		SetClientID(u.opts.ClientID).
		SetKeepAlive(u.opts.KeepAlive).
		SetCleanSession(true).
		SetAutoReconnect(false).
		SetConnectRetry(false).
		SetConnectTimeout(10 * time.Second).
		SetOrderMatters(false).
		SetOnConnectHandler(func(c mqtt.Client) { u.onConnect(c) }).
		SetConnectionLostHandler(func(_ mqtt.Client, err error) {
			u.log.Warn("connection lost", "err", err, "queued", u.box.len())
			u.signal()
		})
	if u.opts.Will != nil {
		co.SetBinaryWill(u.opts.StatusTopic, u.opts.Will, 1, true)
	}
	if err := mqttclient.Auth(co, u.opts.Username, u.opts.Password, u.opts.TLS); err != nil {
		return nil, fmt.Errorf("uplink: %w", err)
	}
	return co, nil
}

// onConnect publishes the latest status again, because a broker that
// restarted without persistence has forgotten the retained one, and
// subscribes to commands.
func (u *Uplink) onConnect(c mqtt.Client) {
	n := u.connects.Add(1)
	u.log.Info("connected", "queued", u.box.len(), "connects", n)
	u.mu.Lock()
	last := u.last
	u.mu.Unlock()
	if last != nil {
		u.SetStatusFunc(last)
	}
	u.signal()
	if u.opts.Subscribe == "" || u.opts.OnMessage == nil {
		return
	}
	tok := c.Subscribe(u.opts.Subscribe, 1, func(_ mqtt.Client, m mqtt.Message) {
		u.opts.OnMessage(m.Topic(), m.Payload())
	})
	if !tok.WaitTimeout(u.opts.AckTimeout) || tok.Error() != nil {
		u.log.Error("subscribe failed", "filter", u.opts.Subscribe, "err", tok.Error())
	}
}

// Start connects in the background, retrying until Close, and starts the
// goroutine that drains the outbox.
func (u *Uplink) Start() {
	u.log.Info("starting", "client_id", u.opts.ClientID, "queued", u.box.len(),
		"dropped_total", u.box.droppedTotal())
	u.wg.Add(1)
	go u.run()
}

// Queue is the state of the outbox when a status is sent.
type Queue struct {
	Len               int    // messages waiting
	Bytes             int64  // bytes the waiting messages take
	Dropped           uint64 // as returned by Dropped
	DroppedExpendable uint64 // as returned by DroppedExpendable
}

// StatusFunc returns the status payload for the outbox state q.
type StatusFunc func(q Queue) []byte

// SetStatus publishes payload as the retained status as soon as a
// connection is up. A newer status replaces one not yet sent.
func (u *Uplink) SetStatus(payload []byte) {
	u.SetStatusFunc(func(Queue) []byte { return payload })
}

// SetStatusFunc publishes the payload that build returns as the retained
// status, as SetStatus does. Build runs on the uplink's goroutine just
// before each publish, after the messages queued before the call were
// sent, so the outbox state it receives is current at that time.
func (u *Uplink) SetStatusFunc(build StatusFunc) {
	u.mu.Lock()
	u.last = build
	u.mu.Unlock()
	select {
	case <-u.status:
	default:
	}
	u.status <- build
	u.signal()
}

// queue returns the current outbox state.
func (u *Uplink) queue() Queue {
	return Queue{Len: u.box.len(), Bytes: u.box.size(), Dropped: u.box.droppedTotal(),
		DroppedExpendable: u.box.expendedTotal()}
}

// Enqueue stores a QoS 1 message in the outbox and returns once it is
// durable. It is sent when a connection is up. When the outbox is full the
// oldest expendable messages are dropped first and counted in
// DroppedExpendable; only when none is left are the oldest other messages
// dropped and counted in Dropped.
func (u *Uplink) Enqueue(m Message) error {
	u.mu.Lock()
	closed := u.closed
	u.mu.Unlock()
	if closed {
		return ErrClosed
	}
	dropped, err := u.box.push(m)
	if err != nil {
		return fmt.Errorf("uplink: enqueue %s: %w", m.Topic, err)
	}
	if dropped.expendable > 0 {
		u.log.Info("outbox full, dropped expendable messages", "dropped", dropped.expendable,
			"dropped_expendable_total", u.box.expendedTotal(), "topic", m.Topic)
	}
	if dropped.other > 0 {
		u.log.Warn("outbox full, dropped oldest", "dropped", dropped.other,
			"dropped_total", u.box.droppedTotal(), "max_messages", u.opts.MaxMessages,
			"max_bytes", u.opts.MaxBytes)
	}
	u.signal()
	return nil
}

// Resend queues again the acknowledged messages on topic with Seq >= from
// that are still kept. It returns how many were queued and the lowest Seq
// kept for topic, 0 when none is.
func (u *Uplink) Resend(topic string, from uint64) (queued int, oldest uint64, err error) {
	queued, oldest, err = u.box.resend(topic, from)
	if err != nil {
		return 0, 0, fmt.Errorf("uplink: resend %s: %w", topic, err)
	}
	u.log.Info("resend queued", "topic", topic, "from", from, "queued", queued, "oldest", oldest)
	u.signal()
	return queued, oldest, nil
}

// Len returns the number of messages waiting in the outbox.
func (u *Uplink) Len() int { return u.box.len() }

// Bytes returns the bytes that waiting messages take in the outbox.
func (u *Uplink) Bytes() int64 { return u.box.size() }

// Dropped returns how many messages that are not expendable were dropped
// because the outbox was full, since the state file was created.
func (u *Uplink) Dropped() uint64 { return u.box.droppedTotal() }

// DroppedExpendable returns how many expendable messages were dropped
// because the outbox was full, since the state file was created.
func (u *Uplink) DroppedExpendable() uint64 { return u.box.expendedTotal() }

// Discard deletes the expendable messages on topic that are still queued,
// so that a fresh copy queued next replaces them. It returns how many it
// deleted.
func (u *Uplink) Discard(topic string) (int, error) {
	n, err := u.box.discard(topic)
	if err != nil {
		return 0, fmt.Errorf("uplink: discard %s: %w", topic, err)
	}
	if n > 0 {
		u.log.Info("queued expendable messages replaced", "topic", topic, "discarded", n)
	}
	return n, nil
}

// Reconnects returns how many times the connection came up again after the
// first successful connect.
func (u *Uplink) Reconnects() uint64 {
	n := u.connects.Load()
	if n == 0 {
		return 0
	}
	return n - 1
}

// Connected reports whether the client has a live connection.
func (u *Uplink) Connected() bool { return u.client.IsConnectionOpen() }

func (u *Uplink) signal() {
	select {
	case u.wake <- struct{}{}:
	default:
	}
}
