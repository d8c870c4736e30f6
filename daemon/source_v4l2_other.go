//go:build !linux

package daemon

import (
	"context"
	"errors"

	"github.com/edgecluster/edgecluster/sensors"
	"github.com/edgecluster/edgecluster/sensors/decode"
)

// v4l2Opener returns an opener that fails: V4L2 exists only on Linux.
func (p *pipeline) v4l2Opener(decode.Options) sensors.Opener {
	return func(context.Context) (sensors.Source, error) {
		return nil, errors.New("source.kind \"v4l2\" needs Linux: use kind \"pipe\" or \"http\"")
	}
}
