package daemon

import (
	"log/slog"
	"os"
	"runtime/debug"
)

// DefaultMemoryLimitMiB is the soft memory limit used when
// Config.MemoryLimitMiB is 0. With it the daemon on the demo clip peaked at
// 75 MiB resident with 2 workers, against 88 MiB without a limit, in 12.7 s
// against 11.5 s (BENCHMARKS.md, "Whole daemon on demo/scenes.mjpeg").
const DefaultMemoryLimitMiB = 64

// applyMemoryLimit sets the runtime's soft memory limit unless GOMEMLIMIT
// is set or mib is negative, and returns the limit in bytes (0 for none).
func applyMemoryLimit(mib int, logger *slog.Logger) int64 {
	if logger == nil {
		logger = slog.Default()
	}
	log := logger.With("component", "daemon")
	if v, ok := os.LookupEnv("GOMEMLIMIT"); ok {
		log.Info("memory limit from environment", "GOMEMLIMIT", v)
		return 0
	}
	if mib < 0 {
		return 0
	}
	if mib == 0 {
		mib = DefaultMemoryLimitMiB
	}

	limit := int64(mib) << 20
	debug.SetMemoryLimit(limit)
	log.Info("memory limit set", "mib", mib)
	return limit
}
