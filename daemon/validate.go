package daemon

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/edgecluster/edgecluster/sync/wire"
)

// Upper bounds of settings whose cost grows with their value.
const (
	// maxSeedFrames bounds the seeding buffer, which is kept in the state
	// file and rewritten at every commit until seeding is done.
	maxSeedFrames = 100000

	// maxPCAWarmup bounds the embeddings buffered while the PCA basis
	// learns: 4096 of 1280 float32 elements are 20 MiB.
	maxPCAWarmup = 4096

	// maxSample bounds the quality window, because silhouette costs its square.
	maxSample = 4096
)

// checker collects configuration errors, each naming its key.
type checker struct{ errs []error }

// check records an error for key when bad is true.
func (c *checker) check(bad bool, key, format string, args ...any) {
	if bad {
		c.errs = append(c.errs, &KeyError{Key: key, Message: fmt.Sprintf(format, args...)})
	}
}

// ValidRequantization reports whether mode is a ModelConfig.Requantization
// value: "", "xnnpack" or "tflite".
func ValidRequantization(mode string) bool {
	return mode == "" || mode == RequantizationXNNPACK || mode == RequantizationTFLite
}

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Validate checks values that have no usable meaning, naming the key.
func (c Config) Validate() error {
	var ck checker
	ck.check(!wire.ValidDeviceID(c.DeviceID), "device_id",
		"%q must be 1-64 letters, digits, '-', '_' or '.'", c.DeviceID)
	ck.errs = append(ck.errs, c.Source.validate()...)
	ck.errs = append(ck.errs, c.Gate.validate()...)
	ck.check(c.Source.FPS < 0 || !finite(c.Source.FPS), "source.fps",
		"%g must be 0 (no limit) or a positive number", c.Source.FPS)
	ck.check(c.Model.Precision != "" && c.Model.Precision != PrecisionInt8 &&
		c.Model.Precision != PrecisionFloat, "model.precision",
		"%q must be \"int8\" or \"float\"", c.Model.Precision)
	ck.check(!ValidRequantization(c.Model.Requantization), "model.requantization",
		"%q must be \"xnnpack\" (default, bit-exact with TFLite's XNNPACK runtime) or "+
			"\"tflite\" (TFLite's builtin fixed-point kernels)", c.Model.Requantization)
	c.Cluster.validate(&ck)
	c.MQTT.validate(&ck)
	c.Summary.validate(&ck)
	c.Exemplars.validate(&ck)
	c.Refine.validate(&ck)
	ck.check(c.Workers < 0 || c.Workers > 64, "workers", "%d must be 0 (all CPUs) to 64",
		c.Workers)
	ck.check(c.MemoryLimitMiB > 1<<20, "memory_limit_mib",
		"%d must be at most 1048576 (1 TiB); use a negative value for no limit",
		c.MemoryLimitMiB)
	if err := c.HTTP.validate(); err != nil {
		ck.check(true, "http.listen", "%s", err)
	}
	return errors.Join(ck.errs...)
}

func (cc ClusterConfig) validate(ck *checker) {
	ck.check(cc.K < 0 || cc.K > 1024, "cluster.k", "%d must be 1-1024", cc.K)
	ck.check(cc.HalfLife < 0 || !finite(cc.HalfLife), "cluster.half_life",
		"%g must be 0 (default) or a positive number", cc.HalfLife)
	ck.check(!finite(cc.Novelty), "cluster.novelty", "%g must be a finite number", cc.Novelty)
	ck.check(!finite(cc.Starved) || cc.Starved >= 1, "cluster.starved",
		"%g must be a fraction below 1, 0 (default) or negative (off)", cc.Starved)
	ck.check(cc.SeedFrames < 0 || cc.SeedFrames > maxSeedFrames, "cluster.seed_frames",
		"%d must be 0 (default) to %d", cc.SeedFrames, maxSeedFrames)
	ck.check(cc.PCADims < 0, "cluster.pca_dims",
		"%d must be 0 (off) or a positive number below the embedding dimension", cc.PCADims)
	ck.check(cc.PCAWarmup < 0 || cc.PCAWarmup > maxPCAWarmup, "cluster.pca_warmup",
		"%d must be 0 (default) to %d", cc.PCAWarmup, maxPCAWarmup)
	ck.check(cc.PCADims > 0 && cc.PCAWarmup > 0 && cc.PCAWarmup <= cc.PCADims,
		"cluster.pca_warmup", "%d must exceed cluster.pca_dims %d, because the basis needs "+
			"one more embedding than it has components", cc.PCAWarmup, cc.PCADims)
	// Only a pca_dims of maxPCAWarmup or more reaches this, so the error is
	// reported on pca_dims, the key that was set.
	ck.check(cc.PCADims > 0 && cc.PCAWarmup == 0 && cc.pcaWarmup() <= cc.PCADims,
		"cluster.pca_dims", "%d must be below %d: cluster.pca_warmup defaults to %d, its "+
			"maximum, and must exceed cluster.pca_dims, because the basis needs one more "+
			"embedding than it has components; lower cluster.pca_dims",
		cc.PCADims, maxPCAWarmup, cc.pcaWarmup())
	ck.check(cc.Metric != "" && cc.Metric != "euclidean" && cc.Metric != "cosine",
		"cluster.metric", "%q must be \"euclidean\" or \"cosine\"", cc.Metric)
}

func (mc MQTTConfig) validate(ck *checker) {
	if mc.Broker != "" {
		msg := checkBroker(mc.Broker)
		ck.check(msg != "", "mqtt.broker", "%s", msg)
	}
	ck.check(mc.Prefix != "" && !validPrefix(mc.Prefix), "mqtt.prefix",
		"%q must be topic levels without '+', '#' or empty levels, such as \"site/a\"",
		mc.Prefix)
	ck.check(mc.OutboxMessages < 0, "mqtt.outbox_messages", "%d must not be negative",
		mc.OutboxMessages)
	ck.check(mc.OutboxBytes < 0, "mqtt.outbox_bytes", "%d must not be negative",
		mc.OutboxBytes)
	ck.check((mc.CertFile == "") != (mc.KeyFile == ""), "mqtt.cert_file",
		"and mqtt.key_file must be set together")
	ck.check(mc.DrainTimeout.Duration < 0, "mqtt.drain_timeout", "%v must not be negative",
		mc.DrainTimeout.Duration)
}

func (sc SummaryConfig) validate(ck *checker) {
	ck.check(sc.EveryFrames < 0, "summary.every_frames", "%d must not be negative",
		sc.EveryFrames)
	ck.check(sc.Sample < 0 || sc.Sample > maxSample, "summary.sample",
		"%d must be 0 (default) to %d", sc.Sample, maxSample)
	ck.check(sc.Interval.Duration < 0, "summary.interval", "%v must not be negative",
		sc.Interval.Duration)
}

// validPrefix reports whether p can start a topic name: non-empty levels
// without the wildcards '+' and '#'.
func validPrefix(p string) bool {
	for _, level := range strings.Split(p, "/") {
		if level == "" || strings.ContainsAny(level, "+#\x00") {
			return false
		}
	}
	return true
}
