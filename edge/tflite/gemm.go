package tflite

// gemmBlockBytes bounds the weight rows processed together, so that they
// stay in the L2 cache while all input rows stream past them.
const gemmBlockBytes = 128 << 10

// gemm computes out[r*ldOut+o] = clamp(bias[o] + a[r,:]·w[o,:], lo, hi) for
// r < rows and o < cols. a holds rows rows and w holds cols rows, both of
// length depth and contiguous. This matches a 1x1 convolution in NHWC with
// OHWI filters, and an im2col patch matrix for larger filters. panels is
// packFloatPanels(w, cols, depth) or nil. Where it is used, the results are
// those of the Go loops, because each sum is formed in the same order.
func gemm(a []float32, rows int, w, panels []float32, cols, depth int,
	bias, out []float32, ldOut int, lo, hi float32) {
	// An even block keeps the columns that dot4x2 pairs up, and a multiple
	// of floatPanelCols keeps blocks on panel boundaries.
	block := max(floatPanelCols, gemmBlockBytes/(4*depth)) &^ (floatPanelCols - 1)
	for o0 := 0; o0 < cols; o0 += block {
		o1 := min(o0+block, cols)
		r := 0
		for ; r+4 <= rows; r += 4 {
			o := o0
			if panels != nil {
				o = gemmPanels(a[r*depth:], panels, o0, o1, depth, bias, out[r*ldOut:], ldOut,
					lo, hi)
			}
			gemmRows4(a[r*depth:(r+4)*depth], w, o, o1, depth, bias, out[r*ldOut:], ldOut, lo, hi)
		}
		for ; r < rows; r++ {
			gemmRow1(a[r*depth:(r+1)*depth], w, o0, o1, depth, bias, out[r*ldOut:], lo, hi)
		}
	}
}

// gemmPanels computes the whole panels of columns [o0, o1) of four
// consecutive output rows with multiplyFloatPanels, o0 a multiple of
// floatPanelCols, and returns the first column that it left out.
func gemmPanels(a, panels []float32, o0, o1, depth int, bias, out []float32, ldOut int,
	lo, hi float32) int {
	blocks := (o1 - o0) / floatPanelCols
	if blocks == 0 {
		return o0
	}
	multiplyFloatPanels(a, depth, panels[o0*depth:], depth, blocks, out[o0:], ldOut,
		bias[o0:], lo, hi)
	return o0 + blocks*floatPanelCols
}

// gemmRows4 computes columns [o0, o1) of four consecutive output rows.
func gemmRows4(a, w []float32, o0, o1, depth int, bias, out []float32, ldOut int,
	lo, hi float32) {
	a0, a1, a2, a3 := a[:depth], a[depth:2*depth], a[2*depth:3*depth], a[3*depth:4*depth]
	o := o0
	for ; o+2 <= o1; o += 2 {
		w0 := w[o*depth : (o+1)*depth]
		w1 := w[(o+1)*depth : (o+2)*depth]
		s := dot4x2(a0, a1, a2, a3, w0, w1)
		b0, b1 := bias[o], bias[o+1]
		for i := range 4 {
			out[i*ldOut+o] = clamp(s[2*i]+b0, lo, hi)
			out[i*ldOut+o+1] = clamp(s[2*i+1]+b1, lo, hi)
		}
	}
	for ; o < o1; o++ {
		wo := w[o*depth : (o+1)*depth]
		for i, ai := range [4][]float32{a0, a1, a2, a3} {
			out[i*ldOut+o] = clamp(dot(ai, wo)+bias[o], lo, hi)
		}
	}
}

// gemmRow1 computes columns [o0, o1) of one output row.
func gemmRow1(a, w []float32, o0, o1, depth int, bias, out []float32, lo, hi float32) {
	for o := o0; o < o1; o++ {
		out[o] = clamp(dot(a, w[o*depth:(o+1)*depth])+bias[o], lo, hi)
	}
}

// dot4x2 returns the eight dot products of rows a0..a3 with rows w0 and w1,
// ordered a0·w0, a0·w1, a1·w0, and so on. All rows have the length of a0.
func dot4x2(a0, a1, a2, a3, w0, w1 []float32) [8]float32 {
	n := len(a0)
	a1, a2, a3, w0, w1 = a1[:n], a2[:n], a3[:n], w0[:n], w1[:n]
	var s00, s01, s10, s11, s20, s21, s30, s31 float32
	for k := range n {
		x0, x1 := w0[k], w1[k]
		v := a0[k]
		s00 += v * x0
		s01 += v * x1
		v = a1[k]
		s10 += v * x0
		s11 += v * x1
		v = a2[k]
		s20 += v * x0
		s21 += v * x1
		v = a3[k]
		s30 += v * x0
		s31 += v * x1
	}
	return [8]float32{s00, s01, s10, s11, s20, s21, s30, s31}
}

// dot returns a·b over the length of a, with four partial sums.
func dot(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	k := 0
	for ; k+4 <= len(a); k += 4 {
		s0 += a[k] * b[k]
		s1 += a[k+1] * b[k+1]
		s2 += a[k+2] * b[k+2]
		s3 += a[k+3] * b[k+3]
	}
	for ; k < len(a); k++ {
		s0 += a[k] * b[k]
	}
	return (s0 + s1) + (s2 + s3)
}

// clamp limits v to [lo, hi]. NaN passes through unchanged.
func clamp(v, lo, hi float32) float32 {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}
