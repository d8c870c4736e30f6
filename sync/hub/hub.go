package hub

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/edgecluster/edgecluster/internal/clock"
	"github.com/edgecluster/edgecluster/internal/mqttclient"
	"github.com/edgecluster/edgecluster/internal/tlsfiles"
	"github.com/edgecluster/edgecluster/sync/hub/kv"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// Options configures a Hub. Broker is required, and StatePath unless
// Store is set.
type Options struct {
	// Broker is the MQTT server URL, such as tcp://127.0.0.1:1883.
	Broker string

	// ClientID names the hub's MQTT session. "" means "edgecluster-hub".
	ClientID string

	// Username and Password authenticate to the broker when Username is set.
	Username string
	Password string

	// TLS names the CA bundle and client certificate. The zero value uses
	// the system roots for ssl:// brokers and no client certificate.
	TLS tlsfiles.Files

	// Prefix is the topic prefix. "" means wire.DefaultPrefix.
	Prefix string

	// Share, when set, subscribes to summaries, events and replies through
	// the shared subscription group $share/Share/..., so that hub instances
	// with the same Share split the messages between them. Statuses are
	// subscribed without sharing, so every instance receives the status of every device.
	Share string

	// ResyncInterval is the shortest time between two resync requests for
	// the same device and kind. 0 means DefaultResyncInterval.
	ResyncInterval time.Duration

	// PasswordHash is the bcrypt hash (see HashPassword) of the password
	// that logs in to the web page to change labels. "" turns label
	// changes through the page off; the read-only API needs no login.
	PasswordHash string

	// User is the user name that logs in with PasswordHash. "" means
	// "admin".
	User string

	// FleetDistance is the largest cosine distance between two centroids
	// of different devices with the same model that the fleet view groups
	// as one scene. 0 means DefaultFleetDistance.
	FleetDistance float64

	// StatePath is the hub's bbolt file, used when Store is "".
	StatePath string

	// Store is the connection string of a PostgreSQL database that keeps
	// the hub's state instead of the bbolt file, as a postgres:// URL or
	// libpq key=value settings. Hub instances that split the messages
	// with Share need it, so that they share one state. Settings missing
	// from it, such as the password, come from the PG* environment
	// variables and ~/.pgpass.
	Store string

	// Clock stamps last-seen times. Nil means the system clock.
	Clock clock.Clock

	// Logger receives ingest and connection events. Nil means slog.Default().
	Logger *slog.Logger
}

// Hub ingests device messages and serves what it stored.
type Hub struct {
	opts     Options
	log      *slog.Logger
	store    *store
	client   mqtt.Client
	clock    clock.Clock
	received atomic.Uint64
	rejected atomic.Uint64

	commandID   atomic.Uint64
	mu          sync.Mutex
	resyncAt    map[string]time.Time  // last resync request per device/kind
	refinements map[string]Refinement // latest refinement per device
	maps        mapCache
	suggest     suggestCache
}

// New opens the hub's state file. It does not connect: call Start.
func New(opts Options) (*Hub, error) {
	if opts.Broker == "" || (opts.StatePath == "" && opts.Store == "") {
		return nil, errors.New("hub: Broker and StatePath or Store are required")
	}
	if opts.ClientID == "" {
		opts.ClientID = "edgecluster-hub"
	}
	if opts.Prefix == "" {
		opts.Prefix = wire.DefaultPrefix
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.ResyncInterval <= 0 {
		opts.ResyncInterval = DefaultResyncInterval
	}
	st, err := openStore(opts, opts.Logger)
	if err != nil {
		return nil, err
	}
	h := &Hub{opts: opts, store: st, clock: clock.Or(opts.Clock),
		log: opts.Logger.With("component", "hub"), resyncAt: map[string]time.Time{},
		refinements: map[string]Refinement{}}
	co, err := h.clientOptions()
	if err != nil {
		st.close()
		return nil, err
	}
	h.client = mqtt.NewClient(co)
	return h, nil
}

func (o Options) user() string {
	if o.User == "" {
		return "admin"
	}
	return o.User
}

func (h *Hub) now() time.Time { return h.clock.Now().UTC() }

func (h *Hub) clientOptions() (*mqtt.ClientOptions, error) {
	co := mqtt.NewClientOptions().
		AddBroker(h.opts.Broker).
		SetClientID(h.opts.ClientID).
		SetCleanSession(false).
		SetAutoReconnect(true).
		SetConnectRetry(true).
		SetConnectRetryInterval(time.Second).
		SetOrderMatters(true).
		SetOnConnectHandler(h.onConnect).
		SetConnectionLostHandler(func(_ mqtt.Client, err error) {
			h.log.Warn("connection lost", "broker", h.opts.Broker, "err", err)
		})
	if err := mqttclient.Auth(co, h.opts.Username, h.opts.Password, h.opts.TLS); err != nil {
		return nil, fmt.Errorf("hub: %w", err)
	}
	return co, nil
}

// onConnect subscribes on every (re)connection, since a broker without
// persistence forgets subscriptions when it restarts.
func (h *Hub) onConnect(c mqtt.Client) {
	h.log.Info("connected", "broker", h.opts.Broker, "share", h.opts.Share)
	filters := map[string]byte{wire.Subscription(h.opts.Prefix, wire.KindStatus): 1}
	for _, kind := range []string{wire.KindSummary, wire.KindEvent, wire.KindReply,
		wire.KindExemplars} {
		filters[h.shared(wire.Subscription(h.opts.Prefix, kind))] = 1
	}
	tok := c.SubscribeMultiple(filters, func(_ mqtt.Client, m mqtt.Message) {
		h.handle(m.Topic(), m.Payload())
	})
	if tok.WaitTimeout(subscribeTimeout) {
		h.subscribed(tok.Error(), len(filters))
		return
	}
	h.log.Warn("subscribe timed out, still waiting", "timeout", subscribeTimeout)
	go func() {
		tok.Wait()
		h.subscribed(tok.Error(), len(filters))
	}()
}

// subscribeTimeout is how long onConnect waits for the SUBACK before it
// logs and goes on waiting in the background.
var subscribeTimeout = 10 * time.Second

// subscribed sends pending labels again once the subscription holds, since
// their replies arrive only then.
func (h *Hub) subscribed(err error, filters int) {
	if err != nil {
		h.log.Error("subscribe failed", "err", err)
		return
	}
	h.log.Info("subscribed", "filters", filters)
	go h.resendLabels("")
}

func (h *Hub) shared(filter string) string {
	if h.opts.Share == "" {
		return filter
	}
	return "$share/" + h.opts.Share + "/" + filter
}

// Start connects in the background. The client keeps retrying until Close.
func (h *Hub) Start() {
	h.log.Info("starting", "broker", h.opts.Broker, "prefix", h.opts.Prefix,
		"store", h.storeName())
	h.client.Connect()
}

// WaitConnected waits up to d for the first connection and subscription.
func (h *Hub) WaitConnected(d time.Duration) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if h.client.IsConnectionOpen() {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

// Received returns the number of messages the hub has handled since New,
// rejected ones included.
func (h *Hub) Received() uint64 { return h.received.Load() }

// storeName names the store for logs, without a password.
func (h *Hub) storeName() string {
	if h.opts.Store != "" {
		return kv.Redact(h.opts.Store)
	}
	return h.opts.StatePath
}

// Close disconnects and closes the state file or database connections.
func (h *Hub) Close() error {
	h.client.Disconnect(250)
	h.log.Info("stopped", "received", h.received.Load(), "rejected", h.rejected.Load())
	return h.store.close()
}

// handle decodes and stores one message. Bad messages are logged and counted.
func (h *Hub) handle(topic string, payload []byte) {
	h.received.Add(1)
	if err := h.ingest(topic, payload); err != nil {
		h.rejected.Add(1)
		h.log.Warn("message rejected", "topic", topic, "bytes", len(payload), "err", err)
	}
}

func (h *Hub) ingest(topic string, payload []byte) error {
	device, kind, err := wire.ParseTopic(h.opts.Prefix, topic)
	if err != nil {
		return err
	}
	if len(payload) > wire.MaxPayloadBytes {
		return fmt.Errorf("%w: %d bytes, at most %d", wire.ErrMalformed, len(payload),
			wire.MaxPayloadBytes)
	}
	switch kind {
	case wire.KindSummary:
		s, err := wire.DecodeSummary(payload)
		if err = sameDevice(err, "summary", s.Device, device); err != nil {
			return err
		}
		_, err = h.ingestSummary(s, payload)
		return err
	case wire.KindEvent:
		e, err := wire.DecodeEvent(payload)
		if err = sameDevice(err, "event", e.Device, device); err != nil {
			return err
		}
		return h.ingestEvent(e, payload)
	case wire.KindStatus:
		st, err := wire.DecodeStatus(payload)
		if err = sameDevice(err, "status", st.Device, device); err != nil {
			return err
		}
		return h.ingestStatus(st)
	case wire.KindReply:
		r, err := wire.DecodeReply(payload)
		if err = sameDevice(err, "reply", r.Device, device); err != nil {
			return err
		}
		return errors.Join(h.store.touch(device, h.now()), h.ingestReply(r))
	case wire.KindExemplars:
		m, err := wire.DecodeExemplars(payload)
		if err = sameDevice(err, "exemplars", m.Device, device); err != nil {
			return err
		}
		return errors.Join(h.store.touch(device, h.now()), h.ingestExemplars(m))
	}
	return fmt.Errorf("%w: unknown kind %q", wire.ErrTopic, kind)
}

// sameDevice rejects a payload that names another device than its topic,
// so a device cannot write into another's history through its own topic.
func sameDevice(err error, what, named, topic string) error {
	if err == nil && named != topic {
		err = fmt.Errorf("%w: %s on the topic of %q names device %q", wire.ErrMalformed, what,
			topic, named)
	}
	return err
}
