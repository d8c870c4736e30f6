package store

import "errors"

// Errors returned by this package. Returned errors wrap one of them, so check
// with errors.Is.
var (
	// ErrLocked marks an Open that timed out because another process, or
	// another Store in this process, has the file open.
	ErrLocked = errors.New("store: database file is locked")

	// ErrSchemaTooNew marks a file written by a newer schema than this build
	// supports. Upgrade the daemon, or move the file aside to start empty.
	ErrSchemaTooNew = errors.New("store: unsupported schema version")

	// ErrCorrupt marks a stored value that cannot be decoded.
	ErrCorrupt = errors.New("store: corrupt value")

	// ErrInvalidKey marks an empty space, metadata key or counter name.
	ErrInvalidKey = errors.New("store: invalid key")
)
