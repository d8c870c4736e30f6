//go:build linux

package v4l2

import (
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// fakeFormat is one format of the emulated camera.
type fakeFormat struct {
	code  uint32
	desc  string
	sizes []Size // discrete sizes; nil means stepwise 16x16 to 1920x1080
}

// fakeCamera emulates the driver side of the V4L2 calls Source makes, the
// way a UVC webcam handles them: it adjusts requested sizes to the nearest
// one it has, grants buffers, and fills queued buffers in order.
type fakeCamera struct {
	caps     uint32
	formats  []fakeFormat
	frames   [][]byte // payloads delivered in turn; a nil entry sets V4L2_BUF_FLAG_ERROR
	grant    uint32   // buffers granted; 0 means as many as requested
	unplugAt int      // DQBUF fails with ENODEV after this many frames; 0 means never
	noParm   bool     // VIDIOC_S_PARM fails with ENOTTY

	pix       pixFormat
	bufs      [][]byte
	queued    []uint32
	streaming bool
	sent      int
	calls     []string
	unmapped  int
	closed    bool
}

const fakeBufSize = 1 << 20

func (c *fakeCamera) ioctl(req uint, arg unsafe.Pointer) error {
	switch req {
	case vidiocQueryCap:
		return c.queryCap((*capability)(arg))
	case vidiocEnumFmt:
		return c.enumFmt((*fmtDesc)(arg))
	case vidiocEnumFrameSizes:
		return c.enumSizes((*frameSizeEnum)(arg))
	case vidiocSFmt:
		return c.setFmt((*format)(arg))
	case vidiocSParm:
		return c.setParm((*streamParm)(arg))
	case vidiocReqBufs:
		return c.reqBufs((*requestBuffers)(arg))
	case vidiocQueryBuf:
		return c.queryBuf((*buffer)(arg))
	case vidiocQBuf:
		return c.qbuf((*buffer)(arg))
	case vidiocDQBuf:
		return c.dqbuf((*buffer)(arg))
	case vidiocStreamOn, vidiocStreamOff:
		c.calls = append(c.calls, "stream")
		c.streaming = req == vidiocStreamOn
		return nil
	}
	return unix.ENOTTY
}

func (c *fakeCamera) queryCap(p *capability) error {
	copy(p.Driver[:], "uvcvideo")
	copy(p.Card[:], "Fake Webcam C270")
	copy(p.BusInfo[:], "usb-0000:01:00.0-1.2")
	p.Capabilities = c.caps | capDeviceCaps
	p.DeviceCaps = c.caps
	return nil
}

func (c *fakeCamera) enumFmt(p *fmtDesc) error {
	if p.Type != bufTypeVideoCapture || int(p.Index) >= len(c.formats) {
		return unix.EINVAL
	}
	f := c.formats[p.Index]
	p.PixelFormat = f.code
	copy(p.Description[:], f.desc)
	return nil
}

func (c *fakeCamera) format(code uint32) *fakeFormat {
	for i := range c.formats {
		if c.formats[i].code == code {
			return &c.formats[i]
		}
	}
	return nil
}

func (c *fakeCamera) enumSizes(p *frameSizeEnum) error {
	f := c.format(p.PixelFormat)
	if f == nil {
		return unix.EINVAL
	}
	if f.sizes == nil {
		if p.Index > 0 {
			return unix.EINVAL
		}
		p.Type = frameSizeStepwise
		p.Size = [6]uint32{16, 1920, 2, 16, 1080, 2}
		return nil
	}
	if int(p.Index) >= len(f.sizes) {
		return unix.EINVAL
	}
	p.Type = frameSizeDiscrete
	p.Size[0], p.Size[1] = uint32(f.sizes[p.Index].Width), uint32(f.sizes[p.Index].Height)
	return nil
}

// setFmt picks the requested format, or the first one, at the nearest size.
func (c *fakeCamera) setFmt(p *format) error {
	if p.Type != bufTypeVideoCapture {
		return unix.EINVAL
	}
	if c.streaming {
		return unix.EBUSY
	}
	pix := p.pix()
	f := c.format(pix.PixelFormat)
	if f == nil {
		f = &c.formats[0]
	}
	size := Size{int(pix.Width), int(pix.Height)}
	if f.sizes != nil {
		size = nearest(f.sizes, size)
	}
	*pix = pixFormat{Width: uint32(size.Width), Height: uint32(size.Height),
		PixelFormat: f.code, Field: 1}
	if f.code == PixelYUYV {
		pix.BytesPerLine = 2*pix.Width + 64 // padded rows, as some drivers use
		pix.SizeImage = pix.BytesPerLine * pix.Height
	} else {
		pix.SizeImage = fakeBufSize
	}
	c.pix = *pix
	c.calls = append(c.calls, "s_fmt "+fourCCName(f.code))
	return nil
}

func nearest(sizes []Size, want Size) Size {
	best, bestD := sizes[0], -1
	for _, s := range sizes {
		d := abs(s.Width-want.Width) + abs(s.Height-want.Height)
		if bestD < 0 || d < bestD {
			best, bestD = s, d
		}
	}
	return best
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func (c *fakeCamera) setParm(p *streamParm) error {
	if c.noParm {
		return unix.ENOTTY
	}
	c.calls = append(c.calls, "s_parm")
	p.Capture.Capability = capTimePerFrame
	return nil
}

func (c *fakeCamera) reqBufs(p *requestBuffers) error {
	if p.Memory != memoryMMap || p.Type != bufTypeVideoCapture {
		return unix.EINVAL
	}
	if c.grant > 0 {
		p.Count = c.grant
	}
	c.bufs = make([][]byte, p.Count)
	for i := range c.bufs {
		c.bufs[i] = make([]byte, max(c.pix.SizeImage, 1))
	}
	c.calls = append(c.calls, "reqbufs")
	return nil
}

// queryBuf reports buffer i at mmap offset i*fakeBufSize, as drivers give
// each buffer its own page-aligned offset.
func (c *fakeCamera) queryBuf(p *buffer) error {
	if int(p.Index) >= len(c.bufs) {
		return unix.EINVAL
	}
	p.Length = uint32(len(c.bufs[p.Index]))
	*(*uint32)(unsafe.Pointer(&p.M)) = p.Index * fakeBufSize
	return nil
}

func (c *fakeCamera) qbuf(p *buffer) error {
	if int(p.Index) >= len(c.bufs) || p.Memory != memoryMMap {
		return unix.EINVAL
	}
	c.queued = append(c.queued, p.Index)
	return nil
}

func (c *fakeCamera) dqbuf(p *buffer) error {
	if c.unplugAt > 0 && c.sent >= c.unplugAt {
		return unix.ENODEV
	}
	if !c.streaming || len(c.queued) == 0 || c.sent >= len(c.frames) {
		return unix.EAGAIN
	}
	i := c.queued[0]
	c.queued = c.queued[1:]
	payload := c.frames[c.sent]
	*p = buffer{Index: i, Type: bufTypeVideoCapture, Memory: memoryMMap,
		Sequence: uint32(c.sent), Length: uint32(len(c.bufs[i]))}
	if payload == nil {
		p.Flags = bufFlagError
	}
	p.BytesUsed = uint32(copy(c.bufs[i], payload))
	c.sent++
	return nil
}

func (c *fakeCamera) mmap(offset int64, length int) ([]byte, error) {
	i := int(offset / fakeBufSize)
	if offset%fakeBufSize != 0 || i >= len(c.bufs) || length != len(c.bufs[i]) {
		return nil, unix.EINVAL
	}
	return c.bufs[i], nil
}

func (c *fakeCamera) munmap([]byte) error {
	c.unmapped++
	return nil
}

func (c *fakeCamera) waitReadable(time.Duration) error {
	if c.sent < len(c.frames) && len(c.queued) > 0 {
		return nil
	}
	return ErrTimeout
}

func (c *fakeCamera) close() error {
	c.closed = true
	return nil
}
