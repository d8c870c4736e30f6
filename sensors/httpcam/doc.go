// Package httpcam reads frames from IP cameras over HTTP: an MJPEG stream
// (multipart/x-mixed-replace, one JPEG per part) or a JPEG snapshot URL
// polled at an interval.
//
// Camera firmware is loose with multipart framing. The splitter accepts a
// boundary parameter with or without its leading "--", delimiter lines with
// extra dashes, bare LF line ends and parts without headers. A part without
// Content-Length runs to the next delimiter line. A
// wrong Content-Length costs at most two frames: the reader finds the next
// delimiter and goes on. A delimiter that does not start a line is not
// recognised, so the part before it runs on into the next one.
//
// Both kinds of source fail with an error when the server cannot be
// reached, responds with a status other than 200, or stops sending for
// Options.Timeout. Wrap them with sensors.Retry to reconnect.
package httpcam
