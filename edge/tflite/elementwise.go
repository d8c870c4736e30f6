package tflite

import "slices"

// addKernel computes ADD with NumPy-style broadcasting. Equal shapes and a
// single-element operand take flat loops, and other shapes walk the output
// index with per-operand strides, where a broadcast dimension has stride 0.
type addKernel struct {
	a, b, output []float32
	lo, hi       float32

	outShape           []int
	stridesA, stridesB []int
	index              []int // odometer state, kept to avoid allocating per run
}

func buildAdd(c *opContext) (kernel, error) {
	opts, _ := c.op.Options.(*ActivationOptions)
	if opts == nil {
		opts = &ActivationOptions{}
	}
	if err := c.checkInputs(2, 2); err != nil {
		return nil, err
	}
	if c.isQuantized(c.input(0)) {
		return buildQuantAdd(c, opts.Activation)
	}
	k := &addKernel{}
	var err error
	if k.a, err = c.floats(c.input(0)); err != nil {
		return nil, err
	}
	if k.b, err = c.floats(c.input(1)); err != nil {
		return nil, err
	}

	sa, sb := c.shape(c.input(0)), c.shape(c.input(1))
	out, ok := BroadcastShape(sa, sb)
	if !ok {
		return nil, c.malformed("shapes %v and %v do not broadcast", sa, sb)
	}
	if err := c.checkOutput(out); err != nil {
		return nil, err
	}
	k.output, _ = c.output()
	k.outShape = out
	k.stridesA, k.stridesB = broadcastStrides(sa, len(out)), broadcastStrides(sb, len(out))
	k.index = make([]int, len(out))
	k.lo, k.hi, err = c.activationRange(opts.Activation)
	return k, err
}

// BroadcastShape returns the NumPy broadcast of shapes a and b, the output
// shape of ADD, SUB and MUL, and false when they do not broadcast.
func BroadcastShape(a, b []int) ([]int, bool) {
	n := max(len(a), len(b))
	out := make([]int, n)
	for i := range n {
		da, db := dimFromEnd(a, n-1-i), dimFromEnd(b, n-1-i)
		switch {
		case da == db || db == 1:
			out[i] = da
		case da == 1:
			out[i] = db
		default:
			return nil, false
		}
	}
	return out, true
}

// dimFromEnd returns dimension len(shape)-1-k, or 1 beyond the shape's rank.
func dimFromEnd(shape []int, k int) int {
	if k >= len(shape) {
		return 1
	}
	return shape[len(shape)-1-k]
}

// broadcastStrides returns element strides of shape aligned to rank
// dimensions, with 0 for broadcast dimensions of size 1.
func broadcastStrides(shape []int, rank int) []int {
	strides := make([]int, rank)
	step := 1
	for i := rank - 1; i >= 0; i-- {
		d := dimFromEnd(shape, rank-1-i)
		if d != 1 {
			strides[i] = step
		}
		step *= d
	}
	return strides
}

func (k *addKernel) run() {
	switch {
	case len(k.a) == len(k.output) && len(k.b) == len(k.output) &&
		slices.Equal(k.stridesA, k.stridesB):
		addFlat(k.output, k.a, k.b, k.lo, k.hi)
	case len(k.b) == 1 && len(k.a) == len(k.output):
		addScalar(k.output, k.a, k.b[0], k.lo, k.hi)
	case len(k.a) == 1 && len(k.b) == len(k.output):
		addScalar(k.output, k.b, k.a[0], k.lo, k.hi)
	default:
		k.runBroadcast()
	}
}

func addFlat(out, a, b []float32, lo, hi float32) {
	a, b = a[:len(out)], b[:len(out)]
	for i := range out {
		out[i] = clamp(a[i]+b[i], lo, hi)
	}
}

func addScalar(out, a []float32, s, lo, hi float32) {
	a = a[:len(out)]
	for i := range out {
		out[i] = clamp(a[i]+s, lo, hi)
	}
}

// runBroadcast walks the output in order, advancing an index odometer and
// the two operand offsets together.
func (k *addKernel) runBroadcast() {
	clear(k.index)
	ia, ib := 0, 0
	last := len(k.outShape) - 1
	for i := range k.output {
		k.output[i] = clamp(k.a[ia]+k.b[ib], k.lo, k.hi)
		for d := last; d >= 0; d-- {
			k.index[d]++
			ia += k.stridesA[d]
			ib += k.stridesB[d]
			if k.index[d] < k.outShape[d] {
				break
			}
			ia -= k.stridesA[d] * k.outShape[d]
			ib -= k.stridesB[d] * k.outShape[d]
			k.index[d] = 0
		}
	}
}
