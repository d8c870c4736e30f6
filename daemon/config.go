package daemon

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/edgecluster/edgecluster/sync/uplink"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// ErrConfig marks an invalid configuration. The message names the key.
var ErrConfig = errors.New("invalid configuration")

// PasswordEnv is the environment variable that overrides mqtt.password, so
// the secret need not be written into the config file.
const PasswordEnv = "EDGECLUSTER_MQTT_PASSWORD"

// Config is the device configuration, read from a TOML file. Every zero
// value means the default stated on its field.
type Config struct {
	// DeviceID names the device in topics. "" means the host name.
	DeviceID string `toml:"device_id"`

	// StatePath is the bbolt state file. "" means "edgecluster.db".
	StatePath string `toml:"state"`

	Source  SourceConfig  `toml:"source"`
	Model   ModelConfig   `toml:"model"`
	Cluster ClusterConfig `toml:"cluster"`
	MQTT    MQTTConfig    `toml:"mqtt"`
	Summary SummaryConfig `toml:"summary"`
	Gate    GateConfig    `toml:"gate"`

	Exemplars ExemplarsConfig `toml:"exemplars"`
	Refine    RefineConfig    `toml:"refine"`
	HTTP      HTTPConfig      `toml:"http"`

	// Workers is the number of frames embedded in parallel. 0 means the
	// number of CPUs.
	Workers int `toml:"workers"`

	// MemoryLimitMiB is the Go runtime's soft memory limit in MiB, which
	// makes the garbage collector run more often as the heap nears it.
	// 0 means DefaultMemoryLimitMiB and a negative value sets no limit. The
	// GOMEMLIMIT environment variable, when set, takes precedence.
	MemoryLimitMiB int `toml:"memory_limit_mib"`
}

// SourceConfig selects the frames to process. Kind picks the source and
// which of the other fields apply; source.go documents each kind.
type SourceConfig struct {
	// Kind is "file", "v4l2", "http", "snapshot" or "pipe". "" means "file".
	Kind string `toml:"kind"`

	// Path is an MJPEG file or a folder of JPEG/PNG files. Required for
	// kind "file".
	Path string `toml:"path"`

	LiveSourceConfig

	// FPS limits the frame rate in frames per second. 0 means no limit.
	FPS float64 `toml:"fps"`

	// Loop replays the source from the start when it ends.
	Loop bool `toml:"loop"`
}

// ModelConfig selects the embedding model.
type ModelConfig struct {
	// Path is a TFLite file. "" means the bundled model.
	Path string `toml:"path"`

	// Tensor is the name prefix of the feature tensor. "" means the bundled
	// model's backbone output, or a custom model's first output.
	Tensor string `toml:"tensor"`

	// Precision selects the bundled model when Path is "": "int8" for the
	// backbone quantized to int8, "float" for the float model it was made
	// from. "" means DefaultPrecision.
	Precision string `toml:"precision"`

	// Requantization selects how int8 and uint8 models scale their integer
	// sums to 8-bit outputs: "xnnpack" for the float32 arithmetic of
	// TFLite's default XNNPACK delegate, "tflite" for the fixed-point
	// arithmetic of TFLite's builtin kernels. "" means
	// DefaultRequantization.
	Requantization string `toml:"requantization"`
}

// Bundled model precisions for ModelConfig.Precision.
const (
	PrecisionInt8  = "int8"
	PrecisionFloat = "float"

	// DefaultPrecision is the bundled model that runs when the config
	// names none. On the demo clip the int8 backbone gave the same scene
	// NMI as the float model with a fifth of its CPU time (BENCHMARKS.md).
	DefaultPrecision = PrecisionInt8
)

// Requantization modes for ModelConfig.Requantization.
const (
	RequantizationXNNPACK = "xnnpack"
	RequantizationTFLite  = "tflite"

	// DefaultRequantization is the mode used when the config names none.
	// TFLite applies XNNPACK by default, and with it the bundled int8
	// backbone gives the same bytes as TFLite's WASM runtime. With the
	// vector requantization kernels it is also the faster of the two modes
	// on amd64 (BENCHMARKS.md, "Requantization modes").
	DefaultRequantization = RequantizationXNNPACK
)

// ClusterConfig tunes the streaming clusters.
type ClusterConfig struct {
	// K is the number of clusters. 0 means 8.
	K int `toml:"k"`

	// HalfLife is how many frames a centroid takes to forget half of its
	// history. 0 means 500.
	HalfLife float64 `toml:"half_life"`

	// SeedFrames is how many frames are buffered before k-means++ seeding;
	// 0 means max(4*K, 32).
	SeedFrames int `toml:"seed_frames"`

	// Metric is "euclidean" (default) or "cosine".
	Metric string `toml:"metric"`

	// Novelty re-seeds clusters: a frame farther than Novelty times its
	// nearest cluster's mean distance (and farther than the two closest
	// centroids are apart) starts a new cluster and the two closest merge.
	// 0 means 2.5, and a negative value turns re-seeding off.
	Novelty float64 `toml:"novelty"`

	// Starved re-seeds a cluster whose decayed weight falls below Starved
	// times the mean: it merges into its nearest cluster, and the widest
	// cluster splits in two. 0 means 0.02, and a negative value turns this
	// off.
	Starved float64 `toml:"starved"`

	// PCADims reduces each embedding to this many principal components
	// before clustering, with a basis learned on the device. 0 means no
	// reduction. It must be below the model's embedding dimension. The
	// reduced vectors are centred on the embeddings' mean, so the cosine
	// metric then measures angles around that mean.
	PCADims int `toml:"pca_dims"`

	// PCAWarmup is how many embeddings the basis learns from before it is
	// frozen; they are clustered once it is. 0 means max(MinPCAWarmup,
	// 2*PCADims), at most 4096.
	PCAWarmup int `toml:"pca_warmup"`
}

// MQTTConfig configures the uplink. An empty Broker disables it.
type MQTTConfig struct {
	// Broker is the MQTT URL, such as tcp://127.0.0.1:1883.
	Broker string `toml:"broker"`

	// Prefix is the topic prefix. "" means "edgecluster".
	Prefix string `toml:"prefix"`

	// Username and Password authenticate to the broker. The environment
	// variable EDGECLUSTER_MQTT_PASSWORD overrides Password.
	Username string `toml:"username"`
	Password string `toml:"password"`

	// DrainTimeout bounds the wait for the outbox to empty when the daemon
	// stops. 0 means 30 s.
	DrainTimeout duration `toml:"drain_timeout"`

	// CAFile is a PEM bundle the broker's certificate must chain to. ""
	// means the system roots (for ssl:// brokers).
	CAFile string `toml:"ca_file"`

	// CertFile and KeyFile are a PEM client certificate and its key, for
	// brokers that require one. Both or neither.
	CertFile string `toml:"cert_file"`
	KeyFile  string `toml:"key_file"`

	// ClientID is the MQTT client id. "" means "edgecluster-" + device_id.
	ClientID string `toml:"client_id"`

	// KeepAlive is the MQTT keepalive interval. 0 means 30 s.
	KeepAlive duration `toml:"keepalive"`

	// OutboxMessages and OutboxBytes cap the outbox. 0 means 10000
	// messages and 64 MiB. Past either, the oldest messages are dropped,
	// counted and reported in the next status.
	OutboxMessages int   `toml:"outbox_messages"`
	OutboxBytes    int64 `toml:"outbox_bytes"`

	// HomeAssistant publishes Home Assistant MQTT discovery messages so a
	// dashboard shows per-cluster counts without configuration.
	HomeAssistant bool `toml:"home_assistant"`
}

// SummaryConfig sets how often a summary is published and state committed.
type SummaryConfig struct {
	// EveryFrames publishes after this many embedded frames. 0 means 100.
	EveryFrames int `toml:"every_frames"`

	// Interval publishes at least this often while frames arrive. 0 means 60 s.
	Interval duration `toml:"interval"`

	// Sample is the number of recent embeddings scored for quality. 0 means 256.
	Sample int `toml:"sample"`
}

// duration is a time.Duration written as a string such as "30s" in TOML.
type duration struct{ time.Duration }

// UnmarshalText parses a Go duration string.
func (d *duration) UnmarshalText(text []byte) error {
	v, err := time.ParseDuration(string(text))
	if err != nil {
		return fmt.Errorf("duration %q: use a number with a unit, such as \"30s\" or \"5m\"", text)
	}
	d.Duration = v
	return nil
}

// LoadConfig reads a TOML file. An unknown key is an error naming the key
// and its line, so a typo cannot silently fall back to a default.
func LoadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	c, problems := ParseConfig(data)
	if len(problems) > 0 {
		return Config{}, fmt.Errorf("%w: %s:%s", ErrConfig, path, formatProblems(problems))
	}
	return c, nil
}

// formatProblems puts one problem on a line, or keeps a single one inline.
func formatProblems(problems []Problem) string {
	if len(problems) == 1 {
		return " " + problems[0].String()
	}
	var b strings.Builder
	for _, p := range problems {
		b.WriteString("\n\t" + p.String())
	}
	return b.String()
}

// WithDefaults returns c with every zero value replaced by its default and
// the password taken from the environment when set there.
func (c Config) WithDefaults() Config {
	if c.DeviceID == "" {
		c.DeviceID, _ = os.Hostname()
	}
	if c.StatePath == "" {
		c.StatePath = "edgecluster.db"
	}
	if c.MQTT.Prefix == "" {
		c.MQTT.Prefix = wire.DefaultPrefix
	}
	if c.MQTT.DrainTimeout.Duration == 0 {
		c.MQTT.DrainTimeout.Duration = 30 * time.Second
	}
	if c.MQTT.KeepAlive.Duration == 0 {
		c.MQTT.KeepAlive.Duration = 30 * time.Second
	}
	if c.MQTT.OutboxMessages == 0 {
		c.MQTT.OutboxMessages = uplink.DefaultMaxMessages
	}
	if c.MQTT.OutboxBytes == 0 {
		c.MQTT.OutboxBytes = uplink.DefaultMaxBytes
	}
	if pw, ok := os.LookupEnv(PasswordEnv); ok {
		c.MQTT.Password = pw
	}
	if pw, ok := os.LookupEnv(SourcePasswordEnv); ok {
		c.Source.Password = pw
	}
	c.Summary = c.Summary.withDefaults()
	if c.Workers == 0 {
		c.Workers = runtime.NumCPU()
	}
	return c
}

func (s SummaryConfig) withDefaults() SummaryConfig {
	if s.EveryFrames == 0 {
		s.EveryFrames = 100
	}
	if s.Interval.Duration == 0 {
		s.Interval.Duration = time.Minute
	}
	if s.Sample == 0 {
		s.Sample = 256
	}
	return s
}

// brokerSchemes are the URL schemes the MQTT client accepts.
var brokerSchemes = []string{"tcp", "ssl", "tls", "mqtt", "mqtts", "ws", "wss"}

// checkBroker returns why broker is no usable MQTT URL, or "" when it is
// one: a supported scheme, a host and a port of 1-65535, which WebSocket
// URLs may leave out.
func checkBroker(broker string) string {
	scheme, _, ok := strings.Cut(broker, "://")
	if !ok {
		return fmt.Sprintf("%q needs a scheme, such as tcp://127.0.0.1:1883", broker)
	}
	if !slices.Contains(brokerSchemes, strings.ToLower(scheme)) {
		return fmt.Sprintf("%q has the unsupported scheme %q: use %s://", broker, scheme,
			strings.Join(brokerSchemes, "://, "))
	}
	u, err := url.Parse(broker)
	if err != nil {
		return fmt.Sprintf("%q is not a valid URL: %v", broker, errors.Unwrap(err))
	}
	if u.Hostname() == "" {
		return fmt.Sprintf("%q needs a host after %s://, such as %s://127.0.0.1:1883",
			broker, scheme, scheme)
	}
	p := u.Port()
	if p == "" && !strings.HasPrefix(u.Scheme, "ws") {
		// The MQTT client dials host:port as written, with no default port
		// (paho.mqtt.golang v1.5.1, netconn.go); only WebSocket URLs have one.
		return fmt.Sprintf("%q needs a port, such as %s://%s:1883 (8883 for TLS)",
			broker, scheme, u.Hostname())
	}
	if n, err := strconv.Atoi(p); p != "" && (err != nil || n < 1 || n > 65535) {
		return fmt.Sprintf("%q has port %s, which must be 1-65535", broker, p)
	}
	return ""
}
