package cluster

import "errors"

// Errors returned by this package. Returned errors wrap one of them, so check
// with errors.Is.
var (
	// ErrInvalidVector marks a vector with a NaN or infinite element, or an
	// all-zero vector under the Cosine metric.
	ErrInvalidVector = errors.New("cluster: invalid vector")

	// ErrDimension marks a vector whose length differs from the model's
	// dimensions.
	ErrDimension = errors.New("cluster: wrong vector dimension")

	// ErrInvalidConfig marks a Config or dimension count that New or Restore
	// cannot use.
	ErrInvalidConfig = errors.New("cluster: invalid config")

	// ErrInvalidState marks a State that is malformed or does not match the
	// Config passed to Restore.
	ErrInvalidState = errors.New("cluster: invalid state")

	// ErrClusterNotFound marks a cluster id that the model does not have.
	ErrClusterNotFound = errors.New("cluster: cluster not found")

	// ErrUnsupportedVersion marks a State written with a State.Version that
	// this package does not read.
	ErrUnsupportedVersion = errors.New("cluster: unsupported state version")
)
