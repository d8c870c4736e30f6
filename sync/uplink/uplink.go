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
)

// ErrClosed is returned by Enqueue and Flush after Close.
var ErrClosed = errors.New("uplink: closed")

// Options configures an Uplink. Broker, ClientID, StatusTopic and DB are
// required. Every other zero value is a documented default.
type Options struct {
	// Broker is the MQTT server URL, such as tcp://127.0.0.1:1883.
	Broker string

	// ClientID identifies the MQTT session. It must be unique on the broker.
	ClientID string

	// Username and Password authenticate to the broker when Username is set.
	Username string
	Password string

	// StatusTopic receives the retained status and the last will.
	StatusTopic string

	// Will is the retained payload the broker publishes on StatusTopic when
	// the connection is lost without a clean disconnect.
	Will []byte

	// KeepAlive is the MQTT keepalive interval. 0 means 30 s.
	KeepAlive time.Duration

	// AckTimeout bounds the wait for one PUBACK. 0 means 10 s.
	AckTimeout time.Duration

	// MaxMessages caps the outbox. 0 means DefaultMaxMessages. The oldest
	// messages are dropped (and counted) when it is full.
	MaxMessages int

	// DB stores the outbox in a bucket of its own.
	DB *bolt.DB

	// Logger receives connection and drop events. Nil means slog.Default().
	Logger *slog.Logger
}

// Uplink publishes a device's messages. Its methods are safe for concurrent use.
type Uplink struct {
	opts    Options
	log     *slog.Logger
	box     *outbox
	client  mqtt.Client
	wake    chan struct{}
	status  chan []byte
	done    chan struct{}
	wg      sync.WaitGroup
	mu      sync.Mutex
	closed  bool
	dropped uint64

	// down and warned are used only by the drain goroutine: when the
	// connection was last seen missing and when that was last logged.
	down, warned time.Time

	connects atomic.Uint64
}

// New checks opts and opens the outbox. It does not connect: call Start.
func New(opts Options) (*Uplink, error) {
	if opts.Broker == "" || opts.ClientID == "" || opts.StatusTopic == "" || opts.DB == nil {
		return nil, errors.New("uplink: Broker, ClientID, StatusTopic and DB are required")
	}
	applyDefaults(&opts)
	box, err := openOutbox(opts.DB, opts.MaxMessages)
	if err != nil {
		return nil, err
	}
	u := &Uplink{
		opts: opts, box: box,
		log:    opts.Logger.With("component", "uplink", "broker", opts.Broker),
		wake:   make(chan struct{}, 1),
		status: make(chan []byte, 1),
		done:   make(chan struct{}),
	}
	u.client = mqtt.NewClient(u.clientOptions())
	return u, nil
}

func applyDefaults(o *Options) {
	if o.KeepAlive <= 0 {
		o.KeepAlive = 30 * time.Second
	}
	if o.AckTimeout <= 0 {
		o.AckTimeout = 10 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
}

func (u *Uplink) clientOptions() *mqtt.ClientOptions {
	co := mqtt.NewClientOptions().
		AddBroker(u.opts.Broker).
		SetClientID(u.opts.ClientID).
		SetKeepAlive(u.opts.KeepAlive).
		SetCleanSession(true).
		SetAutoReconnect(true).
		SetConnectRetry(true).
		SetConnectRetryInterval(time.Second).
		SetMaxReconnectInterval(30 * time.Second).
		SetOrderMatters(false).
		SetOnConnectHandler(func(mqtt.Client) { u.onConnect() }).
		SetConnectionLostHandler(func(_ mqtt.Client, err error) {
			u.log.Warn("connection lost", "err", err)
		})
	if u.opts.Will != nil {
		co.SetBinaryWill(u.opts.StatusTopic, u.opts.Will, 1, true)
	}
	if u.opts.Username != "" {
		co.SetUsername(u.opts.Username).SetPassword(u.opts.Password)
	}
	return co
}

func (u *Uplink) onConnect() {
	n := u.connects.Add(1)
	u.log.Info("connected", "connects", n)
	u.signal()
}

// Start connects in the background, retrying until Close, and starts the
// goroutine that drains the outbox.
func (u *Uplink) Start() {
	u.log.Info("starting", "client_id", u.opts.ClientID, "queued", u.box.len())
	u.client.Connect()
	u.wg.Add(1)
	go u.run()
}

// SetStatus publishes payload as the retained status as soon as a
// connection is up. A newer status replaces one not yet sent.
func (u *Uplink) SetStatus(payload []byte) {
	select {
	case <-u.status:
	default:
	}
	u.status <- payload
	u.signal()
}

// Enqueue stores a QoS 1 message in the outbox and returns once it is
// durable. It is sent when a connection is up.
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
	if dropped > 0 {
		u.mu.Lock()
		u.dropped += uint64(dropped)
		u.mu.Unlock()
		u.log.Warn("outbox full, dropped oldest", "dropped", dropped, "max", u.box.max)
	}
	u.signal()
	return nil
}

// Len returns the number of messages waiting in the outbox.
func (u *Uplink) Len() int { return u.box.len() }

// Dropped returns how many messages were dropped because the outbox was full.
func (u *Uplink) Dropped() uint64 {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.dropped
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
