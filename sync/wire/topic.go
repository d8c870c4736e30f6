package wire

import (
	"fmt"
	"strings"
)

// DefaultPrefix is the topic prefix used when none is configured.
const DefaultPrefix = "edgecluster"

// Kinds of message, the last level of a device topic.
const (
	KindStatus  = "status"
	KindSummary = "summary"
	KindEvent   = "event"
	KindReply   = "cmd-reply"
	KindCommand = "cmd"
)

// Topic returns prefix/device/kind.
func Topic(prefix, device, kind string) string {
	return prefix + "/" + device + "/" + kind
}

// CommandTopic returns prefix/device/cmd/name.
func CommandTopic(prefix, device, name string) string {
	return Topic(prefix, device, KindCommand) + "/" + name
}

// CommandName returns the command name of a topic under
// prefix/device/cmd/, or false when topic is not one.
func CommandName(prefix, device, topic string) (string, bool) {
	name, ok := strings.CutPrefix(topic, Topic(prefix, device, KindCommand)+"/")
	if !ok || name == "" || strings.Contains(name, "/") {
		return "", false
	}
	return name, true
}

// Subscription returns the filter that matches kind for every device.
func Subscription(prefix, kind string) string {
	return prefix + "/+/" + kind
}

// ParseTopic splits prefix/device/kind. The prefix may contain slashes.
func ParseTopic(prefix, topic string) (device, kind string, err error) {
	rest, ok := strings.CutPrefix(topic, prefix+"/")
	if !ok {
		return "", "", fmt.Errorf("%w: %q does not start with %q", ErrTopic, topic, prefix+"/")
	}
	device, kind, ok = strings.Cut(rest, "/")
	if !ok || device == "" || kind == "" || strings.Contains(kind, "/") {
		return "", "", fmt.Errorf("%w: %q is not %s/DEVICE/KIND", ErrTopic, topic, prefix)
	}
	return device, kind, nil
}

// ValidDeviceID reports whether id can name a device in a topic and a URL
// path: 1 to 64 characters from letters, digits, '-', '_' and '.', other
// than "." and "..".
func ValidDeviceID(id string) bool {
	if len(id) == 0 || len(id) > 64 || id == "." || id == ".." {
		return false
	}
	for _, r := range id {
		ok := r == '-' || r == '_' || r == '.' ||
			(r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !ok {
			return false
		}
	}
	return true
}
