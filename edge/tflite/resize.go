package tflite

import "math"

// resizeKernel computes RESIZE_BILINEAR on NHWC data. For each output row
// and column it precomputes the two input rows or columns that it blends
// and the weight of the second one.
type resizeKernel struct {
	input, output  []float32
	batch, inH     int
	inW, channels  int
	y0, y1, x0, x1 []int
	wy, wx         []float32
}

func buildResizeBilinear(c *opContext) (kernel, error) {
	opts, _ := c.op.Options.(*ResizeBilinearOptions)
	if opts == nil {
		opts = &ResizeBilinearOptions{}
	}
	if opts.AlignCorners && opts.HalfPixelCenters {
		return nil, c.malformed("align_corners and half_pixel_centers are both set")
	}
	if err := c.checkInputs(2, 2); err != nil {
		return nil, err
	}
	input, err := c.floats(c.input(0))
	if err != nil {
		return nil, err
	}
	size, err := c.ints(c.input(1))
	if err != nil {
		return nil, err
	}
	in := c.shape(c.input(0))
	if len(in) != 4 || len(size) != 2 || size[0] < 1 || size[1] < 1 {
		return nil, c.malformed("input %v and size %v, expected [N,H,W,C] and [height, width]",
			in, size)
	}
	if err := c.checkOutput([]int{in[0], size[0], size[1], in[3]}); err != nil {
		return nil, err
	}

	k := &resizeKernel{input: input, batch: in[0], inH: in[1], inW: in[2], channels: in[3]}
	k.output, _ = c.output()
	k.y0, k.y1, k.wy = interpolationTaps(in[1], size[0], opts)
	k.x0, k.x1, k.wx = interpolationTaps(in[2], size[1], opts)
	return k, nil
}

// interpolationTaps returns, per output position, the lower and upper input
// positions and the weight of the upper one. The source position is
// out * scale, or (out + 0.5) * scale - 0.5 with half-pixel centers, where
// scale is in/out, or (in-1)/(out-1) with aligned corners, in float32.
func interpolationTaps(in, out int, opts *ResizeBilinearOptions) (lo, hi []int, w []float32) {
	scale := float32(in) / float32(out)
	if opts.AlignCorners && out > 1 {
		scale = float32(in-1) / float32(out-1)
	}
	lo, hi, w = make([]int, out), make([]int, out), make([]float32, out)
	for i := range out {
		src := float32(i) * scale
		if opts.HalfPixelCenters {
			src = (float32(i)+0.5)*scale - 0.5
		}
		floor := float32(math.Floor(float64(src)))
		lo[i] = max(int(floor), 0)
		hi[i] = min(int(math.Ceil(float64(src))), in-1)
		w[i] = src - float32(lo[i])
	}
	return lo, hi, w
}

func (k *resizeKernel) run() {
	outH, outW, ch := len(k.y0), len(k.x0), k.channels
	o := 0
	for b := range k.batch {
		image := k.input[b*k.inH*k.inW*ch:]
		for y := range outH {
			top, bottom := image[k.y0[y]*k.inW*ch:], image[k.y1[y]*k.inW*ch:]
			wy := k.wy[y]
			for x := range outW {
				a, bb := k.x0[x]*ch, k.x1[x]*ch
				wx := k.wx[x]
				for c := range ch {
					k.output[o] = top[a+c]*(1-wy)*(1-wx) + bottom[a+c]*wy*(1-wx) +
						top[bb+c]*(1-wy)*wx + bottom[bb+c]*wy*wx
					o++
				}
			}
		}
	}
}
