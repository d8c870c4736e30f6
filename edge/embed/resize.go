package embed

import "math"

// taps lists, for one output coordinate, the first source index and the
// weights of the source samples that contribute to it.
type taps struct {
	first   int
	weights []float32
}

// triangleTaps computes resampling weights from n source samples to m output
// samples with a triangle (tent) filter. When shrinking, the filter widens to
// the scale factor so every source sample contributes (area averaging
// without aliasing). When enlarging it is plain linear interpolation. At
// equal sizes the weights are the identity.
func triangleTaps(n, m int) []taps {
	scale := float64(n) / float64(m)
	support := math.Max(scale, 1)
	out := make([]taps, m)
	for i := range out {
		center := (float64(i) + 0.5) * scale
		lo := max(int(math.Floor(center-support)), 0)
		hi := min(int(math.Ceil(center+support)), n)
		var ws []float32
		sum := 0.0
		for j := lo; j < hi; j++ {
			w := math.Max(0, 1-math.Abs(float64(j)+0.5-center)/support)
			ws = append(ws, float32(w))
			sum += w
		}
		out[i] = taps{first: lo, weights: normalise(ws, sum)}
	}
	return out
}

func normalise(ws []float32, sum float64) []float32 {
	for k := range ws {
		ws[k] = float32(float64(ws[k]) / sum)
	}
	return ws
}

// resampler resizes packed RGB images from one fixed size to another,
// reusing its weights and scratch buffer.
type resampler struct {
	srcW, srcH, dstW, dstH int
	cols, rows             []taps
	mid                    []float32 // srcH rows of dstW RGB pixels
}

func newResampler(srcW, srcH, dstW, dstH int) *resampler {
	return &resampler{
		srcW: srcW, srcH: srcH, dstW: dstW, dstH: dstH,
		cols: triangleTaps(srcW, dstW),
		rows: triangleTaps(srcH, dstH),
		mid:  make([]float32, 3*dstW*srcH),
	}
}

// resize writes the resampled image to dst as float32 RGB values on the
// 0..255 scale, horizontally first, then vertically.
func (r *resampler) resize(src []uint8, dst []float32) {
	for y := 0; y < r.srcH; y++ {
		row := src[3*r.srcW*y:]
		out := r.mid[3*r.dstW*y:]
		for x, t := range r.cols {
			var cr, cg, cb float32
			for k, w := range t.weights {
				p := 3 * (t.first + k)
				cr += w * float32(row[p])
				cg += w * float32(row[p+1])
				cb += w * float32(row[p+2])
			}
			out[3*x], out[3*x+1], out[3*x+2] = cr, cg, cb
		}
	}
	stride := 3 * r.dstW
	for y, t := range r.rows {
		out := dst[stride*y : stride*(y+1)]
		clear(out)
		for k, w := range t.weights {
			in := r.mid[stride*(t.first+k):]
			for i := range out {
				out[i] += w * in[i]
			}
		}
	}
}
