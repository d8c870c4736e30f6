package daemon

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestExampleConfigLoads(t *testing.T) {
	c, err := LoadConfig("../edgecluster.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	c.DeviceID = "cam-1"
	if err := c.WithDefaults().Validate(); err != nil {
		t.Fatal(err)
	}
	defaults := Config{DeviceID: "cam-1", Source: SourceConfig{Path: c.Source.Path}}.WithDefaults()
	loaded := c.WithDefaults()
	if loaded.Summary != defaults.Summary || loaded.MQTT != defaults.MQTT ||
		loaded.StatePath != defaults.StatePath {
		t.Errorf("example values differ from the defaults:\n%+v\n%+v", loaded, defaults)
	}
	if loaded.Refine.Idle != defaults.Refine.Idle {
		t.Errorf("example refine.idle %v, want the default, off", loaded.Refine.Idle)
	}
	if got, want := loaded.HTTP.Address(), defaults.HTTP.Address(); got != want {
		t.Errorf("example http.listen %q, default %q", got, want)
	}
}

func TestLoadConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		text string
		want string
	}{
		{"unknown key", "[cluster]\nkk = 3\n", "cluster.kk"},
		{"wrong type", "[cluster]\nk = \"eight\"\n", "k"},
		{"bad duration", "[summary]\ninterval = \"soon\"\n", "soon"},
		{"not toml", "[cluster\n", "line 1: invalid TOML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.toml")
			if err := os.WriteFile(path, []byte(tt.text), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadConfig(path)
			if !errors.Is(err, ErrConfig) {
				t.Fatalf("err %v, want ErrConfig", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
		})
	}
}

func TestValidateNamesKeys(t *testing.T) {
	base := Config{DeviceID: "cam-1", Source: SourceConfig{Path: "x"}}
	tests := []struct {
		name   string
		change func(*Config)
		want   string
	}{
		{"device id", func(c *Config) { c.DeviceID = "a/b" }, "device_id"},
		{"fps", func(c *Config) { c.Source.FPS = -1 }, "source.fps"},
		{"k", func(c *Config) { c.Cluster.K = -2 }, "cluster.k"},
		{"broker", func(c *Config) { c.MQTT.Broker = "localhost:1883" }, "mqtt.broker"},
		{"workers", func(c *Config) { c.Workers = 1000 }, "workers"},
		{"novelty", func(c *Config) { c.Cluster.Novelty = math.Inf(1) }, "cluster.novelty"},
		{"starved", func(c *Config) { c.Cluster.Starved = 1 }, "cluster.starved"},
		{"fps nan", func(c *Config) { c.Source.FPS = math.NaN() }, "source.fps"},
		{"half life nan", func(c *Config) { c.Cluster.HalfLife = math.NaN() }, "cluster.half_life"},
		{"seed frames", func(c *Config) { c.Cluster.SeedFrames = 1 << 40 }, "cluster.seed_frames"},
		{"sample", func(c *Config) { c.Summary.Sample = 1 << 40 }, "summary.sample"},
		{"interval", func(c *Config) { c.Summary.Interval.Duration = -time.Second },
			"summary.interval"},
		{"drain", func(c *Config) { c.MQTT.DrainTimeout.Duration = -time.Second },
			"mqtt.drain_timeout"},
		{"prefix wildcard", func(c *Config) { c.MQTT.Prefix = "a/#" }, "mqtt.prefix"},
		{"prefix empty level", func(c *Config) { c.MQTT.Prefix = "a//b" }, "mqtt.prefix"},
		{"requantization", func(c *Config) { c.Model.Requantization = "float" },
			"model.requantization"},
		{"refine idle", func(c *Config) { c.Refine.Idle.Duration = -time.Second },
			"refine.idle"},
		{"refine budget", func(c *Config) { c.Refine.BudgetMS = maxRefineBudgetMS + 1 },
			"refine.budget_ms"},
		{"refine interval", func(c *Config) { c.Refine.Interval.Duration = -time.Minute },
			"refine.interval"},
		{"refine idle below 1s", func(c *Config) { c.Refine.Idle.Duration = time.Millisecond },
			"refine.idle"},
		{"refine interval below 1s", func(c *Config) {
			c.Refine.Interval.Duration = time.Millisecond
		}, "refine.interval"},
		{"thumbnail too large", func(c *Config) {
			c.Exemplars.ThumbnailSide, c.Exemplars.Quality = 512, 100
		}, "thumbnail_side 512 with quality 100"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base
			tt.change(&c)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want one naming %s", err, tt.want)
			}
		})
	}
	if err := base.Validate(); err != nil {
		t.Errorf("valid config rejected: %v", err)
	}
}

func TestPasswordFromEnvironment(t *testing.T) {
	t.Setenv(PasswordEnv, "s3cret")
	c := Config{MQTT: MQTTConfig{Password: "file"}}.WithDefaults()
	if c.MQTT.Password != "s3cret" {
		t.Errorf("password %q, want the environment's", c.MQTT.Password)
	}
	if c.MQTT.DrainTimeout.Duration != 30*time.Second {
		t.Errorf("drain timeout %v, want 30s", c.MQTT.DrainTimeout)
	}
}

func TestCheckBroker(t *testing.T) {
	tests := []struct {
		broker string
		want   string // part of the message, "" for a usable URL
	}{
		{"tcp://127.0.0.1:1883", ""},
		{"ssl://broker.example:8883", ""},
		{"TCP://127.0.0.1:1883", ""},
		{"tcp://[::1]:1883", ""},
		{"ws://127.0.0.1/mqtt", ""},
		{"localhost:1883", "needs a scheme"},
		{"http://x:1883", `unsupported scheme "http": use tcp://, ssl://`},
		{"tcp://127.0.0.1:99999", "port 99999, which must be 1-65535"},
		{"tcp://127.0.0.1:0", "port 0, which must be 1-65535"},
		{"tcp://127.0.0.1", "needs a port, such as tcp://127.0.0.1:1883"},
		{"tcp://:1883", "needs a host"},
		{"tcp://h:abc", "not a valid URL"},
	}
	for _, tt := range tests {
		t.Run(tt.broker, func(t *testing.T) {
			got := checkBroker(tt.broker)
			if tt.want == "" && got != "" {
				t.Errorf("checkBroker(%q) = %q, want no problem", tt.broker, got)
			}
			if !strings.Contains(got, tt.want) || (tt.want != "" && got == "") {
				t.Errorf("checkBroker(%q) = %q, want it to contain %q", tt.broker, got, tt.want)
			}
		})
	}
}
