package hub

import (
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/edgecluster/edgecluster/internal/clock"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// Options configures a Hub. Broker and StatePath are required.
type Options struct {
	// Broker is the MQTT server URL, such as tcp://127.0.0.1:1883.
	Broker string

	// ClientID names the hub's MQTT session. "" means "edgecluster-hub".
	ClientID string

	// Username and Password authenticate to the broker when Username is set.
	Username string
	Password string

	// Prefix is the topic prefix. "" means wire.DefaultPrefix.
	Prefix string

	// StatePath is the hub's bbolt file.
	StatePath string

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
}

// New opens the hub's state file. It does not connect: call Start.
func New(opts Options) (*Hub, error) {
	if opts.Broker == "" || opts.StatePath == "" {
		return nil, errors.New("hub: Broker and StatePath are required")
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
	st, err := openStore(opts.StatePath)
	if err != nil {
		return nil, err
	}
	h := &Hub{opts: opts, store: st, clock: clock.Or(opts.Clock),
		log: opts.Logger.With("component", "hub")}
	h.client = mqtt.NewClient(h.clientOptions())
	return h, nil
}

func (h *Hub) now() time.Time { return h.clock.Now().UTC() }

func (h *Hub) clientOptions() *mqtt.ClientOptions {
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
	if h.opts.Username != "" {
		co.SetUsername(h.opts.Username).SetPassword(h.opts.Password)
	}
	return co
}

// onConnect subscribes on every (re)connection, since a broker without
// persistence forgets subscriptions when it restarts.
func (h *Hub) onConnect(c mqtt.Client) {
	h.log.Info("connected", "broker", h.opts.Broker)
	filters := map[string]byte{
		wire.Subscription(h.opts.Prefix, wire.KindSummary): 1,
		wire.Subscription(h.opts.Prefix, wire.KindStatus):  1,
	}
	tok := c.SubscribeMultiple(filters, func(_ mqtt.Client, m mqtt.Message) {
		h.handle(m.Topic(), m.Payload())
	})
	if tok.WaitTimeout(10*time.Second) && tok.Error() == nil {
		return
	}
	h.log.Error("subscribe failed", "err", tok.Error())
}

// Start connects in the background. The client keeps retrying until Close.
func (h *Hub) Start() {
	h.log.Info("starting", "broker", h.opts.Broker, "prefix", h.opts.Prefix)
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

// Close disconnects and closes the state file.
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
	switch kind {
	case wire.KindSummary:
		s, err := wire.DecodeSummary(payload)
		if err == nil && s.Device != device {
			err = fmt.Errorf("%w: summary names device %q", wire.ErrMalformed, s.Device)
		}
		if err != nil {
			return err
		}
		_, err = h.ingestSummary(s)
		return err
	case wire.KindStatus:
		st, err := wire.DecodeStatus(payload)
		if err == nil && st.Device != device {
			err = fmt.Errorf("%w: status names device %q", wire.ErrMalformed, st.Device)
		}
		if err != nil {
			return err
		}
		return h.ingestStatus(st)
	}
	return fmt.Errorf("%w: unknown kind %q", wire.ErrTopic, kind)
}
