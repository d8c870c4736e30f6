package main

import (
	"strings"
	"testing"

	"github.com/edgecluster/edgecluster/sensors/v4l2"
)

func TestPrintDevices(t *testing.T) {
	infos := []v4l2.Info{
		{Path: "/dev/video0", Card: "HD Webcam C270", Driver: "uvcvideo", Bus: "usb-1.2",
			Capture: true, Formats: []v4l2.Format{
				{FourCC: "MJPG", Description: "Motion-JPEG",
					Sizes: []v4l2.Size{{Width: 640, Height: 480}, {Width: 1280, Height: 720}}},
				{FourCC: "YUYV", Description: "YUYV 4:2:2", Stepwise: true,
					Sizes: []v4l2.Size{{Width: 16, Height: 16}, {Width: 1920, Height: 1080}}},
			}},
		{Path: "/dev/video1", Card: "HD Webcam C270", Driver: "uvcvideo", Bus: "usb-1.2"},
	}
	var out strings.Builder
	printDevices(&out, infos)
	want := []string{
		"/dev/video0  HD Webcam C270  driver uvcvideo  bus usb-1.2",
		"    MJPG  Motion-JPEG          640x480 1280x720",
		"    YUYV  YUYV 4:2:2           16x16 to 1920x1080",
		"/dev/video1  HD Webcam C270  driver uvcvideo  bus usb-1.2",
		"    not a streaming capture device (metadata or output node)",
	}
	got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(got) != len(want) {
		t.Fatalf("got %d lines:\n%s", len(got), out.String())
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d = %q, want %q", i, got[i], want[i])
		}
	}
}
