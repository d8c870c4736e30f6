package tflite

import (
	"errors"
	"fmt"
)

// ErrMalformed is wrapped by every error about invalid model bytes or an
// inconsistent graph, such as offsets out of range, truncated vectors, or a
// constant buffer whose size does not match its tensor shape.
var ErrMalformed = errors.New("tflite: malformed model")

// ErrUnsupported is wrapped by every *UnsupportedError.
var ErrUnsupported = errors.New("tflite: unsupported")

// ErrTooLarge is wrapped by errors about a model whose activation buffers
// would exceed the memory limit of Options.MaxMemory.
var ErrTooLarge = errors.New("tflite: model too large")

// ErrInvalidArgument is wrapped by errors about caller arguments, such as an
// input index out of range or input data of the wrong length.
var ErrInvalidArgument = errors.New("tflite: invalid argument")

// FormatError describes one problem in a model file. It wraps ErrMalformed.
type FormatError struct {
	// Offset is the byte offset of the problem in the file, or -1 when the
	// problem concerns the graph rather than one location.
	Offset int

	// Detail describes the problem.
	Detail string
}

// Error returns the detail with the byte offset, if known.
func (e *FormatError) Error() string {
	if e.Offset < 0 {
		return "tflite: malformed model: " + e.Detail
	}
	return fmt.Sprintf("tflite: malformed model at byte %d: %s", e.Offset, e.Detail)
}

// Unwrap returns ErrMalformed.
func (e *FormatError) Unwrap() error { return ErrMalformed }

// malformedf returns a *FormatError that is not tied to a byte offset.
func malformedf(format string, args ...any) error {
	return &FormatError{Offset: -1, Detail: fmt.Sprintf(format, args...)}
}

// UnsupportedError reports a valid model feature that this package does not
// implement, such as an operator, a tensor type or an option value. It wraps
// ErrUnsupported.
type UnsupportedError struct {
	// Model names the model: Model.Name, or its description when the name
	// is empty. It may be empty.
	Model string

	// Op is the operator code name, such as "CONV_2D".
	Op string

	// OpIndex is the operator's index in the subgraph.
	OpIndex int

	// Tensor is the tensor index involved, or -1 when none is.
	Tensor int

	// Detail describes what is not supported.
	Detail string
}

// Error returns a message naming the model, the operator, its index and the
// tensor.
func (e *UnsupportedError) Error() string {
	msg := "tflite: unsupported: "
	if e.Model != "" {
		msg += fmt.Sprintf("model %q: ", e.Model)
	}
	msg += fmt.Sprintf("op %d (%s)", e.OpIndex, e.Op)
	if e.Tensor >= 0 {
		msg += fmt.Sprintf(", tensor %d", e.Tensor)
	}
	return msg + ": " + e.Detail
}

// Unwrap returns ErrUnsupported.
func (e *UnsupportedError) Unwrap() error { return ErrUnsupported }
