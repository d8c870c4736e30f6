package hub

import (
	"fmt"
	"html/template"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// Chart size in SVG user units.
const (
	chartWidth  = 160
	chartHeight = 36
	mapSize     = 480
)

// countChart returns an inline SVG line of counts, oldest first, scaled to
// the largest. It returns "" for fewer than two points.
func countChart(counts []uint64) template.HTML {
	if len(counts) < 2 {
		return ""
	}
	var top uint64 = 1
	for _, c := range counts {
		top = max(top, c)
	}
	var pts []string
	for i, c := range counts {
		x := float64(i) * chartWidth / float64(len(counts)-1)
		y := chartHeight - 2 - float64(c)*(chartHeight-4)/float64(top)
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, y))
	}
	return template.HTML(fmt.Sprintf(`<svg class="chart" width="%d" height="%d" `+
		`viewBox="0 0 %d %d" role="img" aria-label="frames over the last %d summaries">`+
		`<polyline fill="none" stroke="#36c" stroke-width="1.5" points="%s"/></svg>`,
		chartWidth, chartHeight, chartWidth, chartHeight, len(counts), strings.Join(pts, " ")))
}

// mapPoint is one centroid on the cluster map.
type mapPoint struct {
	Member
	X, Y float64
}

// project returns the members' centroids on their first two principal
// components, scaled into the map, or nil when fewer than three members
// or their dimensions differ.
func project(ms []Member) []mapPoint {
	if len(ms) < 3 {
		return nil
	}
	dims := len(ms[0].Centroid)
	x := mat.NewDense(len(ms), dims, nil)
	for i, m := range ms {
		if len(m.Centroid) != dims {
			return nil
		}
		for j, v := range m.Centroid {
			x.Set(i, j, float64(v))
		}
	}
	var pc stat.PC
	if !pc.PrincipalComponents(x, nil) {
		return nil
	}
	var vecs, proj mat.Dense
	pc.VectorsTo(&vecs)
	proj.Mul(x, vecs.Slice(0, dims, 0, min(2, dims)))
	return scale(ms, &proj)
}

func scale(ms []Member, proj *mat.Dense) []mapPoint {
	_, cols := proj.Dims()
	pts := make([]mapPoint, len(ms))
	lo, hi := [2]float64{math.Inf(1), math.Inf(1)}, [2]float64{math.Inf(-1), math.Inf(-1)}
	for i := range ms {
		for c := 0; c < cols; c++ {
			v := proj.At(i, c)
			lo[c], hi[c] = min(lo[c], v), max(hi[c], v)
		}
	}
	for i, m := range ms {
		pts[i].Member = m
		pts[i].X = axis(proj.At(i, 0), lo[0], hi[0])
		if cols > 1 {
			pts[i].Y = axis(proj.At(i, 1), lo[1], hi[1])
		}
	}
	return pts
}

// axis maps v from [lo, hi] into the map with a 10 % margin.
func axis(v, lo, hi float64) float64 {
	if hi <= lo {
		return mapSize / 2
	}
	return mapSize * (0.1 + 0.8*(v-lo)/(hi-lo))
}

// deviceColor returns a stable colour for a device id.
func deviceColor(id string) string {
	var h uint32 = 2166136261
	for i := 0; i < len(id); i++ {
		h = (h ^ uint32(id[i])) * 16777619
	}
	return fmt.Sprintf("hsl(%d,65%%,42%%)", h%360)
}
