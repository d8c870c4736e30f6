//go:build linux

package v4l2

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Size is a frame size in pixels.
type Size struct {
	Width, Height int
}

// Format is one pixel format a device offers.
type Format struct {
	// Code is the V4L2 pixel format code and FourCC its four characters.
	Code   uint32
	FourCC string

	// Description is the driver's name for the format.
	Description string

	// Sizes lists the discrete frame sizes. For a stepwise or continuous
	// range it holds the minimum and the maximum.
	Sizes []Size

	// Stepwise is true when Sizes is a range.
	Stepwise bool
}

// Info describes a video device.
type Info struct {
	Path, Driver, Card, Bus string

	// Capture is true for a device that captures video with streaming I/O,
	// the kind Open reads.
	Capture bool

	Formats []Format
}

// List describes every device matching /dev/video*. A device that cannot
// be opened or queried is returned with its error, and listing goes on.
func List() ([]Info, []error) {
	paths, _ := filepath.Glob("/dev/video*")
	sort.Strings(paths)
	var infos []Info
	var errs []error
	for _, p := range paths {
		info, err := Describe(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		infos = append(infos, info)
	}
	return infos, errs
}

// Describe opens the device at path and returns its capabilities, formats
// and frame sizes.
func Describe(path string) (Info, error) {
	d, err := openFile(path)
	if err != nil {
		return Info{}, err
	}
	defer d.close()
	return describe(d, path)
}

func describe(d device, path string) (Info, error) {
	var c capability
	if err := d.ioctl(vidiocQueryCap, unsafe.Pointer(&c)); err != nil {
		return Info{}, fmt.Errorf("v4l2: %s: VIDIOC_QUERYCAP: %w", path, err)
	}
	info := Info{Path: path, Driver: cString(c.Driver[:]), Card: cString(c.Card[:]),
		Bus: cString(c.BusInfo[:]), Capture: canCapture(c)}
	if !info.Capture {
		return info, nil
	}
	var err error
	info.Formats, err = enumFormats(d)
	if err != nil {
		return info, fmt.Errorf("v4l2: %s: %w", path, err)
	}
	return info, nil
}

// canCapture reports whether a device node captures single-planar video
// with streaming I/O. Device caps describe the node itself when present.
func canCapture(c capability) bool {
	caps := c.Capabilities
	if caps&capDeviceCaps != 0 {
		caps = c.DeviceCaps
	}
	return caps&capVideoCapture != 0 && caps&capStreaming != 0
}

// enumFormats lists the capture formats. The driver ends the list by
// rejecting the first index past it with EINVAL.
func enumFormats(d device) ([]Format, error) {
	var out []Format
	for i := uint32(0); i < 64; i++ {
		desc := fmtDesc{Index: i, Type: bufTypeVideoCapture}
		err := d.ioctl(vidiocEnumFmt, unsafe.Pointer(&desc))
		if errors.Is(err, unix.EINVAL) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("VIDIOC_ENUM_FMT %d: %w", i, err)
		}
		f := Format{Code: desc.PixelFormat, FourCC: fourCCName(desc.PixelFormat),
			Description: cString(desc.Description[:])}
		if f.Sizes, f.Stepwise, err = enumSizes(d, desc.PixelFormat); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// enumSizes lists the frame sizes of a format. A driver without
// VIDIOC_ENUM_FRAMESIZES yields no sizes and no error.
func enumSizes(d device, code uint32) ([]Size, bool, error) {
	var out []Size
	for i := uint32(0); i < 256; i++ {
		fs := frameSizeEnum{Index: i, PixelFormat: code}
		err := d.ioctl(vidiocEnumFrameSizes, unsafe.Pointer(&fs))
		if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOTTY) {
			break
		}
		if err != nil {
			return nil, false, fmt.Errorf("VIDIOC_ENUM_FRAMESIZES %s: %w", fourCCName(code), err)
		}
		if fs.Type != frameSizeDiscrete {
			// min_width, max_width, step_width, min_height, max_height, step_height
			return []Size{{int(fs.Size[0]), int(fs.Size[3])}, {int(fs.Size[1]), int(fs.Size[4])}},
				true, nil
		}
		out = append(out, Size{int(fs.Size[0]), int(fs.Size[1])})
	}
	return out, false, nil
}

// String returns the size as WIDTHxHEIGHT.
func (s Size) String() string { return fmt.Sprintf("%dx%d", s.Width, s.Height) }
