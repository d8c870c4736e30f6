// Package pipe reads frames from the standard output of a command that
// writes an MJPEG byte stream, such as
//
//	ffmpeg -f v4l2 -i /dev/video0 -f mjpeg -
//	rpicam-vid -t 0 --codec mjpeg -o -
//	gst-launch-1.0 -q v4l2src ! jpegenc ! fdsink
//
// The command runs without a shell, and its standard error lines are
// logged. When it exits, the source ends with an error that names the exit
// status. Wrap the source with sensors.Retry to restart the command with
// backoff.
package pipe
