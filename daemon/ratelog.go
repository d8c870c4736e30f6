package daemon

import (
	"log/slog"
	"time"
)

// frameLogEvery is the shortest interval between two log lines about bad
// frames, so that a stream of corrupt frames cannot flood the log.
const frameLogEvery = time.Second

// rateLog writes at most one line per interval and reports how many lines
// it held back since the previous one. It is used by one goroutine.
type rateLog struct {
	every      time.Duration
	last       time.Time
	suppressed int
}

// warn logs msg with args unless a line went out less than r.every ago.
func (r *rateLog) warn(log *slog.Logger, now time.Time, msg string, args ...any) {
	if !r.last.IsZero() && now.Sub(r.last) < r.every {
		r.suppressed++
		return
	}
	if r.suppressed > 0 {
		args = append(args, "suppressed", r.suppressed)
	}
	log.Warn(msg, args...)
	r.last, r.suppressed = now, 0
}
