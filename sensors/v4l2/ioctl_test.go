//go:build linux

package v4l2

import (
	"testing"
	"unsafe"
)

// TestRequestNumbers compares the computed request numbers with the values
// of the linux/videodev2.h macros, printed by a C program on x86-64 Debian 12.
func TestRequestNumbers(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("expected values are for 64-bit architectures")
	}
	tests := []struct {
		name string
		got  uint
		want uint
	}{
		{"VIDIOC_QUERYCAP", vidiocQueryCap, 0x80685600},
		{"VIDIOC_ENUM_FMT", vidiocEnumFmt, 0xc0405602},
		{"VIDIOC_S_FMT", vidiocSFmt, 0xc0d05605},
		{"VIDIOC_REQBUFS", vidiocReqBufs, 0xc0145608},
		{"VIDIOC_QUERYBUF", vidiocQueryBuf, 0xc0585609},
		{"VIDIOC_QBUF", vidiocQBuf, 0xc058560f},
		{"VIDIOC_DQBUF", vidiocDQBuf, 0xc0585611},
		{"VIDIOC_STREAMON", vidiocStreamOn, 0x40045612},
		{"VIDIOC_STREAMOFF", vidiocStreamOff, 0x40045613},
		{"VIDIOC_S_PARM", vidiocSParm, 0xc0cc5616},
		{"VIDIOC_ENUM_FRAMESIZES", vidiocEnumFrameSizes, 0xc02c564a},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %#x, want %#x", tt.name, tt.got, tt.want)
		}
	}
}

func TestStructLayout(t *testing.T) {
	var b buffer
	tests := []struct {
		name      string
		got, want uintptr
	}{
		{"sizeof v4l2_capability", unsafe.Sizeof(capability{}), 104},
		{"sizeof v4l2_fmtdesc", unsafe.Sizeof(fmtDesc{}), 64},
		{"sizeof v4l2_pix_format", unsafe.Sizeof(pixFormat{}), 48},
		{"sizeof v4l2_frmsizeenum", unsafe.Sizeof(frameSizeEnum{}), 44},
		{"sizeof v4l2_requestbuffers", unsafe.Sizeof(requestBuffers{}), 20},
		{"sizeof v4l2_streamparm", unsafe.Sizeof(streamParm{}), 204},
	}
	if unsafe.Sizeof(uintptr(0)) == 8 {
		tests = append(tests, []struct {
			name      string
			got, want uintptr
		}{
			{"sizeof v4l2_format", unsafe.Sizeof(format{}), 208},
			{"sizeof v4l2_buffer", unsafe.Sizeof(buffer{}), 88},
			{"offsetof v4l2_buffer.timecode", unsafe.Offsetof(b.Timecode), 40},
			{"offsetof v4l2_buffer.m", unsafe.Offsetof(b.M), 64},
			{"offsetof v4l2_buffer.length", unsafe.Offsetof(b.Length), 72},
		}...)
	}
	if unsafe.Sizeof(uintptr(0)) == 4 {
		tests = append(tests, []struct {
			name      string
			got, want uintptr
		}{
			{"sizeof v4l2_format", unsafe.Sizeof(format{}), 204},
			{"sizeof v4l2_buffer", unsafe.Sizeof(buffer{}), 68},
			{"offsetof v4l2_buffer.m", unsafe.Offsetof(b.M), 52},
		}...)
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %d, want %d", tt.name, tt.got, tt.want)
		}
	}
}

func TestFourCC(t *testing.T) {
	if got := FourCC("MJPG"); got != 0x47504a4d {
		t.Errorf("FourCC(MJPG) = %#x, want 0x47504a4d", got)
	}
	if got := fourCCName(PixelYUYV); got != "YUYV" {
		t.Errorf("fourCCName = %q, want YUYV", got)
	}
}
