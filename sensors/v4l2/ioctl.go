//go:build linux

package v4l2

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// ioctl request encoding of Linux on x86, ARM and most other
// architectures: direction, argument size, type and number.
const (
	iocWrite = 1
	iocRead  = 2
)

func ioc(dir, nr, size uintptr) uint {
	return uint(dir<<30 | size<<16 | 'V'<<8 | nr)
}

// Request numbers from linux/videodev2.h. The argument sizes, and so the
// numbers, differ between 32-bit and 64-bit architectures.
var (
	vidiocQueryCap       = ioc(iocRead, 0, unsafe.Sizeof(capability{}))
	vidiocEnumFmt        = ioc(iocRead|iocWrite, 2, unsafe.Sizeof(fmtDesc{}))
	vidiocSFmt           = ioc(iocRead|iocWrite, 5, unsafe.Sizeof(format{}))
	vidiocReqBufs        = ioc(iocRead|iocWrite, 8, unsafe.Sizeof(requestBuffers{}))
	vidiocQueryBuf       = ioc(iocRead|iocWrite, 9, unsafe.Sizeof(buffer{}))
	vidiocQBuf           = ioc(iocRead|iocWrite, 15, unsafe.Sizeof(buffer{}))
	vidiocDQBuf          = ioc(iocRead|iocWrite, 17, unsafe.Sizeof(buffer{}))
	vidiocStreamOn       = ioc(iocWrite, 18, unsafe.Sizeof(int32(0)))
	vidiocStreamOff      = ioc(iocWrite, 19, unsafe.Sizeof(int32(0)))
	vidiocSParm          = ioc(iocRead|iocWrite, 22, unsafe.Sizeof(streamParm{}))
	vidiocEnumFrameSizes = ioc(iocRead|iocWrite, 74, unsafe.Sizeof(frameSizeEnum{}))
)

// Constants from linux/videodev2.h.
const (
	bufTypeVideoCapture = 1
	memoryMMap          = 1
	fieldAny            = 0

	capVideoCapture = 0x00000001
	capStreaming    = 0x04000000
	capDeviceCaps   = 0x80000000
	capTimePerFrame = 0x1000

	frameSizeDiscrete   = 1
	frameSizeContinuous = 2
	frameSizeStepwise   = 3
)

// Pixel formats handled by Source.
var (
	PixelMJPEG = FourCC("MJPG")
	PixelJPEG  = FourCC("JPEG")
	PixelYUYV  = FourCC("YUYV")
)

// FourCC returns the V4L2 pixel format code of a four-character name.
func FourCC(name string) uint32 {
	var b [4]byte
	copy(b[:], name)
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

// fourCCName returns the four characters of a pixel format code.
func fourCCName(code uint32) string {
	b := []byte{byte(code), byte(code >> 8), byte(code >> 16), byte(code >> 24)}
	return string(b)
}

// capability is struct v4l2_capability.
type capability struct {
	Driver       [16]byte
	Card         [32]byte
	BusInfo      [32]byte
	Version      uint32
	Capabilities uint32
	DeviceCaps   uint32
	Reserved     [3]uint32
}

// fmtDesc is struct v4l2_fmtdesc.
type fmtDesc struct {
	Index       uint32
	Type        uint32
	Flags       uint32
	Description [32]byte
	PixelFormat uint32
	MbusCode    uint32
	Reserved    [3]uint32
}

// pixFormat is struct v4l2_pix_format.
type pixFormat struct {
	Width        uint32
	Height       uint32
	PixelFormat  uint32
	Field        uint32
	BytesPerLine uint32
	SizeImage    uint32
	Colorspace   uint32
	Priv         uint32
	Flags        uint32
	YCbCrEnc     uint32
	Quantization uint32
	XferFunc     uint32
}

// format is struct v4l2_format. Its union holds pointers in some members,
// so it is aligned like a pointer: 4 bytes of padding follow Type on 64-bit
// architectures and none on 32-bit ones.
type format struct {
	Type uint32
	Fmt  struct {
		_   [0]uintptr
		Raw [200]byte
	}
}

func (f *format) pix() *pixFormat { return (*pixFormat)(unsafe.Pointer(&f.Fmt.Raw[0])) }

// frameSizeEnum is struct v4l2_frmsizeenum. Size holds the discrete
// width and height, or min, max and step of a stepwise range.
type frameSizeEnum struct {
	Index       uint32
	PixelFormat uint32
	Type        uint32
	Size        [6]uint32
	Reserved    [2]uint32
}

// requestBuffers is struct v4l2_requestbuffers.
type requestBuffers struct {
	Count        uint32
	Type         uint32
	Memory       uint32
	Capabilities uint32
	Flags        uint8
	Reserved     [3]uint8
}

// buffer is struct v4l2_buffer. Timestamp is a struct timeval, whose size
// follows the architecture's long. M is the memory union; for mmap buffers
// its first 4 bytes are the offset to pass to mmap.
// NOTE: on 32-bit ARM this is the layout with a 32-bit time_t, which the
// kernel accepts from time64 user space too because the request number
// encodes the size.
type buffer struct {
	Index     uint32
	Type      uint32
	BytesUsed uint32
	Flags     uint32
	Field     uint32
	Timestamp unix.Timeval
	Timecode  [16]byte
	Sequence  uint32
	Memory    uint32
	M         uintptr
	Length    uint32
	Reserved2 uint32
	RequestFD int32
}

// offset returns m.offset of an mmap buffer.
func (b *buffer) offset() uint32 { return *(*uint32)(unsafe.Pointer(&b.M)) }

// streamParm is struct v4l2_streamparm with the capture member of its union.
type streamParm struct {
	Type    uint32
	Capture struct {
		Capability   uint32
		CaptureMode  uint32
		Numerator    uint32 // time per frame, in seconds
		Denominator  uint32
		ExtendedMode uint32
		ReadBuffers  uint32
		Reserved     [4]uint32
	}
	Raw [160]byte // rest of the 200-byte union
}

func cString(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}
