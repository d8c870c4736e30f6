//go:build linux

package v4l2

import (
	"errors"
	"fmt"
	"strings"
	"unsafe"
)

// ErrUnsupported marks a device or format this package cannot capture.
var ErrUnsupported = errors.New("v4l2: unsupported")

// chooseFormat picks the pixel format for a request: "mjpeg", "yuyv", or
// "" for MJPEG when offered, else YUYV.
func chooseFormat(formats []Format, want string) (uint32, error) {
	offered := map[uint32]bool{}
	var names []string
	for _, f := range formats {
		offered[f.Code] = true
		names = append(names, f.FourCC)
	}
	var candidates []uint32
	switch want {
	case "", "mjpeg":
		candidates = []uint32{PixelMJPEG, PixelJPEG}
	case "yuyv":
	default:
		return 0, fmt.Errorf("%w: format %q: use \"mjpeg\" or \"yuyv\"", ErrUnsupported, want)
	}
	if want != "mjpeg" {
		candidates = append(candidates, PixelYUYV)
	}
	for _, c := range candidates {
		if offered[c] {
			return c, nil
		}
	}
	return 0, fmt.Errorf("%w: device offers %s, none of which is %s: read it with the pipe "+
		"source instead", ErrUnsupported, strings.Join(names, ", "), requestedFormats(want))
}

func requestedFormats(want string) string {
	switch want {
	case "mjpeg":
		return "MJPG or JPEG"
	case "yuyv":
		return "YUYV"
	}
	return "MJPG, JPEG or YUYV"
}

// setFormat requests code at the requested size and returns what the driver
// chose. Drivers adjust the size to the nearest one they support.
func setFormat(d device, code uint32, size Size) (pixFormat, error) {
	f := format{Type: bufTypeVideoCapture}
	p := f.pix()
	p.Width, p.Height, p.PixelFormat, p.Field = uint32(size.Width), uint32(size.Height), code,
		fieldAny
	if err := d.ioctl(vidiocSFmt, unsafe.Pointer(&f)); err != nil {
		return pixFormat{}, fmt.Errorf("v4l2: VIDIOC_S_FMT %s %dx%d: %w", fourCCName(code),
			size.Width, size.Height, err)
	}
	if p.PixelFormat != code {
		return pixFormat{}, fmt.Errorf("%w: asked for %s, driver chose %s", ErrUnsupported,
			fourCCName(code), fourCCName(p.PixelFormat))
	}
	if p.Width == 0 || p.Height == 0 {
		return pixFormat{}, fmt.Errorf("%w: driver chose a %dx%d frame", ErrUnsupported,
			p.Width, p.Height)
	}
	if p.BytesPerLine == 0 && code == PixelYUYV {
		p.BytesPerLine = 2 * p.Width
	}
	return *p, nil
}

// setFrameRate requests fps frames per second and reports whether the
// driver took it. Many drivers cannot set a frame interval, which is not an
// error: the rate limit then drops frames after capture.
func setFrameRate(d device, fps float64) bool {
	if fps <= 0 {
		return false
	}
	var parm streamParm
	parm.Type = bufTypeVideoCapture
	parm.Capture.Capability = capTimePerFrame
	parm.Capture.Numerator = 1000
	parm.Capture.Denominator = uint32(fps * 1000)
	if err := d.ioctl(vidiocSParm, unsafe.Pointer(&parm)); err != nil {
		return false
	}
	return parm.Capture.Capability&capTimePerFrame != 0
}
