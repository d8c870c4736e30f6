package uplink

import (
	"math/rand/v2"
	"time"
)

// Default reconnect delays, used when the matching Backoff field is 0.
const (
	DefaultMinBackoff = time.Second
	DefaultMaxBackoff = 2 * time.Minute
)

// Backoff computes jittered exponential delays between connection
// attempts. The zero value uses DefaultMinBackoff, DefaultMaxBackoff and
// math/rand/v2.
type Backoff struct {
	// Min is the base delay before the second attempt.
	Min time.Duration

	// Max caps the base delay.
	Max time.Duration

	// Rand returns a number in [0, 1). Nil means rand.Float64.
	Rand func() float64
}

// Delay returns the wait after the failed attempt number attempt (from 0).
// The base delay doubles per attempt up to Max, and the result is drawn
// uniformly from [base/2, base), so a fleet that lost its broker at the
// same moment does not reconnect in step.
func (b Backoff) Delay(attempt int) time.Duration {
	lo, hi := b.Min, b.Max
	if lo <= 0 {
		lo = DefaultMinBackoff
	}
	if hi <= 0 {
		hi = DefaultMaxBackoff
	}
	base := lo
	for i := 0; i < attempt && base < hi; i++ {
		base *= 2
	}
	base = min(base, hi)

	r := rand.Float64
	if b.Rand != nil {
		r = b.Rand
	}
	return base/2 + time.Duration(r()*float64(base/2))
}
