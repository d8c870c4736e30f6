//go:build linux

package daemon

import (
	"context"

	"github.com/edgecluster/edgecluster/sensors"
	"github.com/edgecluster/edgecluster/sensors/decode"
	"github.com/edgecluster/edgecluster/sensors/v4l2"
)

// v4l2Opener returns the function that opens the configured camera.
func (p *pipeline) v4l2Opener(dec decode.Options) sensors.Opener {
	sc := p.cfg.Source
	opts := v4l2.Options{Width: sc.Width, Height: sc.Height, Format: sc.Format, FPS: sc.FPS,
		Decode: dec, Clock: p.opts.Clock, Logger: p.base}
	return func(context.Context) (sensors.Source, error) {
		return v4l2.Open(sc.device(), opts)
	}
}
