// Package replay is a frame source that plays back recorded input: an MJPEG
// file (JPEG images back to back) or a folder of JPEG and PNG files, once or
// in a loop, at a limited frame rate or as fast as the reader takes frames.
package replay
