//go:build linux

// Package v4l2 captures frames from Linux Video4Linux2 cameras in pure Go:
// ioctl calls through golang.org/x/sys/unix and memory-mapped streaming
// buffers, with no cgo.
//
// Open negotiates a pixel format and size with the driver (MJPEG when the
// camera offers it, because it costs the USB bus and the CPU least, else
// YUYV 4:2:2), requests a frame interval, queues four mmap buffers and
// starts streaming. List describes every /dev/video* device with its
// formats and frame sizes.
//
// The code was written for USB Video Class (UVC) webcams, which offer MJPEG
// and YUYV, on Raspberry Pi OS and Jetson Linux, and for the Raspberry Pi
// bcm2835-v4l2 legacy camera driver. It has been tested here only against
// an emulated driver, not a real camera. Cameras that need libcamera, such
// as the Raspberry Pi Camera Module 3 and other CSI sensors on the unicam
// or CFE drivers, expose raw Bayer or multi-planar buffers that this
// package does not read. So do Jetson CSI cameras behind Argus. Read them
// with the pipe source and rpicam-vid or gst-launch-1.0 instead.
package v4l2
