package wire

import "errors"

// ErrMalformed marks a payload that is not valid JSON or lacks a required field.
var ErrMalformed = errors.New("wire: malformed payload")

// ErrUnsupportedVersion marks a well-formed payload whose schema version this
// build does not know.
var ErrUnsupportedVersion = errors.New("wire: unsupported schema version")

// ErrTopic marks a topic that does not follow the edgecluster scheme.
var ErrTopic = errors.New("wire: topic outside the edgecluster scheme")
