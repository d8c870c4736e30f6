// Package mjpeg splits a Motion JPEG byte stream (JPEG images written back
// to back, as ffmpeg's "-f mjpeg" output or a camera's MJPEG pipe) into
// single JPEG images.
//
// The splitter walks JPEG marker segments rather than searching for the
// end-of-image bytes, so an EXIF thumbnail inside an APP segment does not end
// a frame early. A frame cut short by the start of the next one is returned
// with ErrTruncated, and the reader resynchronises on the new frame.
package mjpeg
