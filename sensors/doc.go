// Package sensors defines the frame source interface that every camera and
// replay backend implements, and the Frame value that travels from a source
// to the embedding stage.
//
// Sources live in subpackages (replay, and later camera backends). A source
// reports a corrupt frame as an error wrapping ErrCorruptFrame and stays
// usable, so the caller can count and skip it. A finite source ends with io.EOF.
package sensors
