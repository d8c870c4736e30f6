package hub

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// Chart size in SVG user units.
const (
	chartWidth  = 160
	chartHeight = 36
	mapSize     = 480
)

// countChart returns an inline SVG line of counts, oldest first, scaled to
// the largest, and a caption that names them. With unit "hours" the counts
// are frames per hour, and with "summaries" they are the cluster's size in
// each summary. It returns "" for fewer than two points.
func countChart(counts []uint64, unit string) template.HTML {
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
	caption := chartCaption(len(counts), unit)
	return template.HTML(fmt.Sprintf(`<svg class="chart" width="%d" height="%d" `+
		`viewBox="0 0 %d %d" role="img" aria-label="%s">`+
		`<polyline fill="none" stroke="#36c" stroke-width="1.5" points="%s"/></svg>`+
		`<div><small class="caption">%s</small></div>`,
		chartWidth, chartHeight, chartWidth, chartHeight, caption,
		strings.Join(pts, " "), caption))
}

func chartCaption(points int, unit string) string {
	if unit == "hours" {
		return fmt.Sprintf("frames per hour, last %d hours", points)
	}
	return fmt.Sprintf("cluster size in the last %d summaries", points)
}

// mapPoint is one centroid on the cluster map.
type mapPoint struct {
	Member
	X, Y float64
}

// mapDot is one exemplar on the cluster map.
type mapDot struct {
	Device  string
	Cluster int
	Frame   uint64
	Label   string
	X, Y    float64
}

// scale places the members, then the exemplars, at coords, scaled into
// the map.
func scale(ms []Member, ex []mapExemplar, coords [][]float64) ([]mapPoint, []mapDot) {
	xy := scaleCoords(coords)
	pts := make([]mapPoint, len(ms))
	for i, m := range ms {
		pts[i] = mapPoint{Member: m, X: xy[i][0], Y: xy[i][1]}
	}
	dots := make([]mapDot, len(ex))
	for i, e := range ex {
		p := xy[len(ms)+i]
		dots[i] = mapDot{Device: e.Device, Cluster: e.Cluster, Frame: e.Frame, Label: e.Label,
			X: p[0], Y: p[1]}
	}
	return pts, dots
}

// scaleCoords scales each row of coords into the map. A 1-D layout puts
// every point at mid-height.
func scaleCoords(coords [][]float64) [][2]float64 {
	lo := [2]float64{math.Inf(1), math.Inf(1)}
	hi := [2]float64{math.Inf(-1), math.Inf(-1)}
	for _, row := range coords {
		for c := 0; c < min(2, len(row)); c++ {
			lo[c], hi[c] = min(lo[c], row[c]), max(hi[c], row[c])
		}
	}
	out := make([][2]float64, len(coords))
	for i, row := range coords {
		out[i] = [2]float64{axis(row[0], lo[0], hi[0]), mapSize / 2}
		if len(row) > 1 {
			out[i][1] = axis(row[1], lo[1], hi[1])
		}
	}
	return out
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
