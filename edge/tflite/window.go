package tflite

import "slices"

// window is the geometry of a 2-D sliding window over an NHWC tensor, shared
// by convolutions and pooling.
type window struct {
	batch, inH, inW  int
	kH, kW           int
	strideH, strideW int
	dilH, dilW       int
	padTop, padLeft  int
	outH, outW       int
}

// newWindow computes output size and padding the way TFLite does: SAME
// gives ceil(in/stride) outputs with the smaller half of the padding first,
// and VALID uses only positions where the dilated filter fits.
func (c *opContext) newWindow(in []int, kH, kW int, pad Padding,
	strideH, strideW, dilH, dilW int) (window, error) {
	if len(in) != 4 {
		return window{}, c.malformed("input shape %v is not 4-D NHWC", in)
	}
	if kH <= 0 || kW <= 0 || strideH <= 0 || strideW <= 0 || dilH <= 0 || dilW <= 0 {
		return window{}, c.malformed("invalid filter %dx%d, stride %dx%d or dilation %dx%d",
			kH, kW, strideH, strideW, dilH, dilW)
	}
	w := window{batch: in[0], inH: in[1], inW: in[2], kH: kH, kW: kW,
		strideH: strideH, strideW: strideW, dilH: dilH, dilW: dilW}

	var err error
	w.outH, w.padTop, err = c.windowAxis(w.inH, kH, strideH, dilH, pad)
	if err != nil {
		return window{}, err
	}
	w.outW, w.padLeft, err = c.windowAxis(w.inW, kW, strideW, dilW, pad)
	return w, err
}

func (c *opContext) windowAxis(in, k, stride, dil int, pad Padding) (out, before int, err error) {
	span := (k-1)*dil + 1
	switch pad {
	case PaddingSame:
		out = (in + stride - 1) / stride
	case PaddingValid:
		out = (in - span + stride) / stride
	default:
		return 0, 0, c.unsupported(-1, "padding type %d", pad)
	}
	if out <= 0 {
		return 0, 0, c.malformed("filter span %d does not fit input size %d", span, in)
	}
	total := (out-1)*stride + span - in
	return out, max(total, 0) / 2, nil
}

// checkOutput compares the output tensor shape with the computed one.
func (c *opContext) checkOutput(want []int) error {
	if _, got := c.output(); !slices.Equal(got, want) {
		return c.malformed("output shape %v, computed %v", got, want)
	}
	return nil
}
