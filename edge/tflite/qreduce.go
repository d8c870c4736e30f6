package tflite

// qmeanKernel computes MEAN of INT8 or UINT8 data over axes 1 and 2 of an
// NHWC tensor as TFLite's integer Mean kernel does. It sums q - inZero over
// the H x W positions in int32 and scales the sum by inScale / outScale
// with the fixed-point multiplier. Then it divides by H * W, rounding half
// away from zero, adds outZero and saturates.
type qmeanKernel struct {
	input, output         []int8
	batch, area, channels int
	inZero, outZero       int32
	multiplier            int32
	exponent              int
}

func buildQuantMean(c *opContext, axes []int, keepDims bool) (kernel, error) {
	input, inP, err := c.quantized(c.input(0))
	if err != nil {
		return nil, err
	}
	output, outP, err := c.qoutput()
	if err != nil {
		return nil, err
	}
	shape := c.shape(c.input(0))
	reduced, err := reducedAxes(c, axes, len(shape))
	if err != nil {
		return nil, err
	}
	if len(shape) != 4 || !reduced[1] || !reduced[2] || reduced[0] || reduced[3] {
		return nil, c.unsupported(c.input(0), "quantized MEAN over axes %v of shape %v, "+
			"only axes 1 and 2 of a 4-D tensor are supported", axes, shape)
	}

	want := []int{shape[0], shape[3]}
	if keepDims {
		want = []int{shape[0], 1, 1, shape[3]}
	}
	if err := c.checkOutput(want); err != nil {
		return nil, err
	}
	q, exp := quantizeMultiplier(float64(inP.scale) / float64(outP.scale))
	return &qmeanKernel{input: input, output: output, batch: shape[0],
		area: shape[1] * shape[2], channels: shape[3], inZero: inP.zero, outZero: outP.zero,
		multiplier: q, exponent: exp}, nil
}

func (k *qmeanKernel) run() {
	n := int32(k.area)
	for b := range k.batch {
		image := k.input[b*k.area*k.channels:]
		for ch := range k.channels {
			var acc int32
			for p := range k.area {
				acc += int32(image[p*k.channels+ch]) - k.inZero
			}
			acc = multiplyByQuantizedMultiplier(acc, k.multiplier, k.exponent)
			if acc > 0 {
				acc = (acc + n/2) / n
			} else {
				acc = (acc - n/2) / n
			}
			k.output[b*k.channels+ch] = saturateInt8(acc + k.outZero)
		}
	}
}
