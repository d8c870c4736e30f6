package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode"
)

// ErrUnknownCommand marks a well-formed command whose name this build does
// not implement.
var ErrUnknownCommand = errors.New("wire: unknown command")

// Command names, the last level of a PREFIX/DEVICE/cmd/NAME topic.
const (
	CmdLabel  = "label"
	CmdReset  = "reset"
	CmdResync = "resync"
	CmdConfig = "config"
)

// Limits of command fields. MaxCommandBytes bounds every command but
// CmdRefineCentroids.
const (
	MaxCommandBytes = 4096
	MaxLabelLen     = 64
	MaxIDLen        = 64
	MinInterval     = 10 * time.Millisecond
	MaxEveryFrames  = 1_000_000
	MaxSample       = 4096
)

// Command is a validated request from the hub to one device.
type Command struct {
	// Name is one of the Cmd constants.
	Name string

	// ID is chosen by the sender and copied into the reply.
	ID string

	// Cluster and Label are the arguments of CmdLabel. An empty Label
	// removes the cluster's label. For CmdSendExemplars, Cluster is the
	// cluster whose exemplars to send, or -1 for all.
	Cluster int
	Label   string

	// Kind and From are the arguments of CmdResync: send again the
	// messages of Kind (KindSummary or KindEvent) from sequence From on.
	Kind string
	From uint64

	// Set holds the arguments of CmdConfig. A nil field is left unchanged.
	Set ConfigChange

	// Refine holds the arguments of CmdRefineCentroids, and is nil for
	// every other command.
	Refine *Refinement
}

// ConfigChange lists the settings a CmdConfig command may change while the
// daemon runs.
type ConfigChange struct {
	EveryFrames *int
	Interval    *time.Duration
	Sample      *int
}

// commandJSON is the payload of every command. Fields that do not belong
// to the command named by the topic are rejected.
type commandJSON struct {
	V       *int            `json:"v"`
	ID      string          `json:"id"`
	Cluster *int            `json:"cluster"`
	Label   *string         `json:"label"`
	Kind    string          `json:"kind"`
	From    uint64          `json:"from"`
	Set     json.RawMessage `json:"set"`
}

// ParseCommand decodes and validates the payload of the command name. It
// returns ErrUnknownCommand for a name it does not implement,
// ErrUnsupportedVersion for another schema version and ErrMalformed for
// anything else it rejects. The returned Command carries the ID whenever
// the payload had a readable one, so a rejection can still get a reply.
func ParseCommand(name string, payload []byte) (Command, error) {
	if name == CmdRefineCentroids {
		return parseRefine(payload)
	}
	cmd := Command{Name: name}
	if len(payload) > MaxCommandBytes {
		return cmd, fmt.Errorf("%w: %d bytes, limit %d", ErrMalformed, len(payload),
			MaxCommandBytes)
	}
	raw, err := decodeCommand(payload)
	if raw.ID != "" && validID(raw.ID) {
		cmd.ID = raw.ID
	}
	if err != nil {
		return cmd, err
	}
	if !validID(raw.ID) {
		return cmd, fmt.Errorf("%w: \"id\" %q must be 1-%d printable characters", ErrMalformed,
			raw.ID, MaxIDLen)
	}
	return parseArgs(cmd, raw)
}

func decodeCommand(payload []byte) (commandJSON, error) {
	var raw commandJSON
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return raw, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if dec.More() {
		return raw, fmt.Errorf("%w: data after the JSON object", ErrMalformed)
	}
	if raw.V == nil {
		return raw, fmt.Errorf("%w: missing schema version \"v\"", ErrMalformed)
	}
	if *raw.V != Version {
		return raw, fmt.Errorf("%w: v=%d, this build reads v=%d", ErrUnsupportedVersion, *raw.V,
			Version)
	}
	return raw, nil
}

func parseArgs(cmd Command, raw commandJSON) (Command, error) {
	extra := func(ok bool, field string) error {
		if ok {
			return nil
		}
		return fmt.Errorf("%w: %q does not take %q", ErrMalformed, cmd.Name, field)
	}
	var err error
	switch cmd.Name {
	case CmdLabel:
		err = errors.Join(extra(raw.Kind == "" && raw.From == 0, "kind/from"),
			extra(raw.Set == nil, "set"))
		if err == nil {
			err = parseLabel(&cmd, raw)
		}
	case CmdReset:
		err = extra(raw.Cluster == nil && raw.Label == nil && raw.Kind == "" && raw.From == 0 &&
			raw.Set == nil, "arguments")
	case CmdResync:
		err = errors.Join(extra(raw.Cluster == nil && raw.Label == nil, "cluster/label"),
			extra(raw.Set == nil, "set"))
		if err == nil {
			err = parseResync(&cmd, raw)
		}
	case CmdConfig:
		err = extra(raw.Cluster == nil && raw.Label == nil && raw.Kind == "" && raw.From == 0,
			"cluster/label/kind/from")
		if err == nil {
			cmd.Set, err = parseConfigChange(raw.Set)
		}
	case CmdSendExemplars:
		err = extra(raw.Label == nil && raw.Kind == "" && raw.From == 0 && raw.Set == nil,
			"label/kind/from/set")
		if err == nil {
			err = parseSendExemplars(&cmd, raw)
		}
	default:
		err = fmt.Errorf("%w: %q, use %s, %s, %s, %s, %s or %s", ErrUnknownCommand, cmd.Name,
			CmdLabel, CmdReset, CmdResync, CmdConfig, CmdSendExemplars, CmdRefineCentroids)
	}
	return cmd, err
}

func parseLabel(cmd *Command, raw commandJSON) error {
	if raw.Cluster == nil || *raw.Cluster < 0 {
		return fmt.Errorf("%w: label needs \"cluster\", a cluster id >= 0", ErrMalformed)
	}
	if raw.Label == nil {
		return fmt.Errorf("%w: label needs \"label\", a string (\"\" removes it)", ErrMalformed)
	}
	if !validLabel(*raw.Label) {
		return fmt.Errorf("%w: label %q must be at most %d printable characters", ErrMalformed,
			*raw.Label, MaxLabelLen)
	}
	cmd.Cluster, cmd.Label = *raw.Cluster, *raw.Label
	return nil
}

func parseResync(cmd *Command, raw commandJSON) error {
	if raw.Kind != KindSummary && raw.Kind != KindEvent {
		return fmt.Errorf("%w: resync \"kind\" %q must be %q or %q", ErrMalformed, raw.Kind,
			KindSummary, KindEvent)
	}
	if raw.From == 0 {
		return fmt.Errorf("%w: resync needs \"from\", a sequence number >= 1", ErrMalformed)
	}
	cmd.Kind, cmd.From = raw.Kind, raw.From
	return nil
}

func validID(id string) bool {
	return len(id) > 0 && len(id) <= MaxIDLen && printable(id)
}

func validLabel(label string) bool {
	return len([]rune(label)) <= MaxLabelLen && printable(label)
}

func printable(s string) bool {
	for _, r := range s {
		if !unicode.IsPrint(r) || r == unicode.ReplacementChar {
			return false
		}
	}
	return true
}

// parseSendExemplars reads the optional cluster of CmdSendExemplars.
func parseSendExemplars(cmd *Command, raw commandJSON) error {
	cmd.Cluster = -1
	if raw.Cluster == nil {
		return nil
	}
	if *raw.Cluster < 0 {
		return fmt.Errorf("%w: send_exemplars \"cluster\" %d must be a cluster id >= 0",
			ErrMalformed, *raw.Cluster)
	}
	cmd.Cluster = *raw.Cluster
	return nil
}
