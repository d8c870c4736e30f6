// Package sensors defines the frame source interface that every camera and
// replay backend implements, and the Frame value that travels from a source
// to the embedding stage.
//
// Sources live in subpackages: replay (files and folders), pipe (the MJPEG
// output of a command such as ffmpeg or rpicam-vid), httpcam (MJPEG streams
// and JPEG snapshots over HTTP) and v4l2 (Linux cameras). A source reports a
// corrupt frame as an error wrapping ErrCorruptFrame and stays usable, so the
// caller can count and skip it. A finite source ends with io.EOF.
//
// Live sources fail: a camera is unplugged, a process exits, a server goes
// away. Retry wraps the function that opens one, reopens it with backoff
// after any failure and reports each change between up and down.
package sensors
