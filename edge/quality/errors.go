package quality

import "errors"

// ErrTooFewClusters is returned when a score needs at least two points in at
// least two clusters. A caller that receives it should skip scoring and retry
// when more frames, or frames from more clusters, are available.
var ErrTooFewClusters = errors.New(
	"quality: at least 2 points in at least 2 clusters are required")

// ErrInvalidInput is returned for malformed input: points and labels of
// different lengths, points of different dimensions, or non-finite coordinates.
var ErrInvalidInput = errors.New("quality: invalid input")
