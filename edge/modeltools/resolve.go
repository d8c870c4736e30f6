package modeltools

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/edgecluster/edgecluster/edge/tflite"
)

// ErrNoTensor is wrapped by ResolveTensor errors for a reference that
// matches no tensor or several.
var ErrNoTensor = errors.New("modeltools: tensor not found")

// ResolveTensor returns the index of the tensor that ref names: an exact
// tensor name, a decimal tensor index, or a prefix of exactly one tensor's
// name, tried in that order.
func ResolveTensor(m *tflite.Model, ref string) (int, error) {
	for i, t := range m.Tensors {
		if t.Name == ref {
			return i, nil
		}
	}
	if i, err := strconv.Atoi(ref); err == nil {
		if i < 0 || i >= len(m.Tensors) {
			return 0, fmt.Errorf("%w: index %d out of range [0, %d)", ErrNoTensor, i,
				len(m.Tensors))
		}
		return i, nil
	}

	match := -1
	for i, t := range m.Tensors {
		if !strings.HasPrefix(t.Name, ref) {
			continue
		}
		if match >= 0 {
			return 0, fmt.Errorf("%w: %q is a prefix of tensors %d and %d; give more of "+
				"the name or the index", ErrNoTensor, ref, match, i)
		}
		match = i
	}
	if match < 0 {
		return 0, fmt.Errorf("%w: no tensor is named %q or has a name starting with it; "+
			"list the tensors with edgecluster models inspect", ErrNoTensor, ref)
	}
	return match, nil
}
