package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// configChangeJSON is the "set" object of a config command. Durations are
// Go duration strings such as "30s".
type configChangeJSON struct {
	EveryFrames *int    `json:"summary.every_frames"`
	Interval    *string `json:"summary.interval"`
	Sample      *int    `json:"summary.sample"`
}

// parseConfigChange validates the "set" object of a config command.
func parseConfigChange(data json.RawMessage) (ConfigChange, error) {
	if len(data) == 0 {
		return ConfigChange{}, fmt.Errorf("%w: config needs \"set\", an object of settings",
			ErrMalformed)
	}
	var raw configChangeJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return ConfigChange{}, fmt.Errorf("%w: config \"set\": %v (settable: summary.every_frames,"+
			" summary.interval, summary.sample)", ErrMalformed, err)
	}
	if raw.EveryFrames == nil && raw.Interval == nil && raw.Sample == nil {
		return ConfigChange{}, fmt.Errorf("%w: config \"set\" changes nothing", ErrMalformed)
	}
	out := ConfigChange{EveryFrames: raw.EveryFrames, Sample: raw.Sample}
	if n := raw.EveryFrames; n != nil && (*n < 1 || *n > MaxEveryFrames) {
		return ConfigChange{}, fmt.Errorf("%w: summary.every_frames %d must be 1-%d",
			ErrMalformed, *n, MaxEveryFrames)
	}
	if n := raw.Sample; n != nil && (*n < 1 || *n > MaxSample) {
		return ConfigChange{}, fmt.Errorf("%w: summary.sample %d must be 1-%d", ErrMalformed, *n,
			MaxSample)
	}
	if raw.Interval != nil {
		d, err := time.ParseDuration(*raw.Interval)
		if err != nil || d < MinInterval {
			return ConfigChange{}, fmt.Errorf("%w: summary.interval %q must be a duration of at"+
				" least %v, such as \"30s\"", ErrMalformed, *raw.Interval, MinInterval)
		}
		out.Interval = &d
	}
	return out, nil
}
