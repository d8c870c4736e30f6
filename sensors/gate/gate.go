package gate

import (
	"image"
	"time"
)

// Defaults used when an Options field is zero.
const (
	DefaultThreshold = 4.0
	DefaultWidth     = 32
)

// Options configures a Gate. The zero value applies DefaultThreshold and
// DefaultWidth and never forces a frame through.
type Options struct {
	// Threshold is the mean absolute luma difference (0-255) at or above
	// which a frame counts as changed. 0 means DefaultThreshold. A negative
	// value passes every frame.
	Threshold float64

	// Width is the thumbnail width in pixels; the height keeps the aspect
	// ratio. 0 means DefaultWidth.
	Width int

	// Refresh passes a frame when this long has passed since the last frame
	// that passed, even in a static scene, so a device keeps reporting. 0
	// means never.
	Refresh time.Duration
}

// Counters are the frames a Gate has checked.
type Counters struct {
	Seen   uint64
	Gated  uint64
	Passed uint64
}

// Gate compares each frame with the last one that passed. A Gate is used by
// one goroutine.
type Gate struct {
	opts     Options
	last     []uint8
	lastSize image.Point
	lastTime time.Time
	thumb    []uint8
	counters Counters
}

// New returns a Gate that passes the first frame it checks.
func New(opts Options) *Gate {
	if opts.Threshold == 0 {
		opts.Threshold = DefaultThreshold
	}
	if opts.Width <= 0 {
		opts.Width = DefaultWidth
	}
	return &Gate{opts: opts}
}

// Check reports whether img, captured at t, should be embedded, and returns
// the measured difference (0-255; 255 for the first frame or a size change).
func (g *Gate) Check(img image.Image, t time.Time) (pass bool, diff float64) {
	g.counters.Seen++
	size := img.Bounds().Size()
	g.thumb = Thumbnail(img, g.opts.Width, g.thumb)

	diff = 255
	if g.last != nil && size == g.lastSize {
		diff = meanAbsDiff(g.thumb, g.last)
	}
	pass = diff >= g.opts.Threshold || g.opts.Threshold < 0 || g.refreshDue(t)
	if !pass {
		g.counters.Gated++
		return false, diff
	}

	g.counters.Passed++
	g.last, g.thumb = g.thumb, g.last
	g.lastSize = size
	g.lastTime = t
	return true, diff
}

func (g *Gate) refreshDue(t time.Time) bool {
	return g.opts.Refresh > 0 && t.Sub(g.lastTime) >= g.opts.Refresh
}

// Counters returns the frames checked so far.
func (g *Gate) Counters() Counters { return g.counters }

func meanAbsDiff(a, b []uint8) float64 {
	var sum int
	for i := range a {
		d := int(a[i]) - int(b[i])
		if d < 0 {
			d = -d
		}
		sum += d
	}
	return float64(sum) / float64(len(a))
}
