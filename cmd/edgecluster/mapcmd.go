package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/edgecluster/edgecluster/edge/cluster"
	"github.com/edgecluster/edgecluster/edge/reduce"
)

// mapSVGSize is the width and height of a map written as SVG, in pixels.
const mapSVGSize = 480

// mapFlags are the options of "edgecluster map".
type mapFlags struct {
	state, method, out string
	seed               uint64
}

func runMap(ctx context.Context, args []string) error {
	fs := newFlagSet("map", "")
	var f mapFlags
	fs.StringVar(&f.state, "state", "", "device state `file` whose centroids are mapped")
	fs.StringVar(&f.method, "method", "pca", "layout: pca or tsne")
	fs.StringVar(&f.out, "out", "-",
		"output `file`: .svg for a picture, otherwise CSV (cluster,count,x,y); - is stdout")
	fs.Uint64Var(&f.seed, "seed", 1, "t-SNE random seed; the same seed gives the same map")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if f.state == "" {
		return errors.New("--state is required")
	}
	if f.method != "pca" && f.method != "tsne" {
		return fmt.Errorf("--method %q: use pca or tsne", f.method)
	}

	st, err := loadDeviceState(f.state)
	if err != nil {
		return err
	}
	coords, err := layoutClusters(ctx, st.Clusters, f)
	if err != nil {
		return err
	}
	return writeMap(f.out, st.Clusters, coords)
}

// layoutClusters returns 2-D coordinates of the cluster centroids.
func layoutClusters(ctx context.Context, cs []cluster.ClusterState, f mapFlags) (
	[][]float64, error) {
	if len(cs) < 2 {
		return nil, fmt.Errorf("--state %s has %d clusters; a map needs at least 2",
			f.state, len(cs))
	}
	x := make([][]float64, len(cs))
	for i, c := range cs {
		x[i] = make([]float64, len(c.Centroid))
		for j, v := range c.Centroid {
			x[i][j] = float64(v)
		}
	}
	if f.method == "tsne" {
		return reduce.TSNE(ctx, x, reduce.TSNEOptions{Seed: f.seed, Init: reduce.InitPCA})
	}
	_, coords, err := reduce.PCA(x, min(2, len(x[0])))
	return coords, err
}

func writeMap(path string, cs []cluster.ClusterState, coords [][]float64) error {
	var w io.Writer = os.Stdout
	if path != "-" {
		file, err := os.Create(path)
		if err != nil {
			return err
		}
		defer file.Close()
		w = file
	}
	var err error
	if strings.EqualFold(filepath.Ext(path), ".svg") {
		err = writeMapSVG(w, cs, coords)
	} else {
		err = writeMapCSV(w, cs, coords)
	}
	if err != nil {
		return fmt.Errorf("--out %s: %w", path, err)
	}
	return nil
}

func writeMapCSV(w io.Writer, cs []cluster.ClusterState, coords [][]float64) error {
	out := csv.NewWriter(w)
	out.Write([]string{"cluster", "count", "x", "y"})
	for i, c := range cs {
		out.Write([]string{strconv.Itoa(c.ID), strconv.FormatUint(c.Count, 10),
			formatCoord(coords[i], 0), formatCoord(coords[i], 1)})
	}
	out.Flush()
	return out.Error()
}

// formatCoord returns coordinate d of row, or 0 for a 1-D layout.
func formatCoord(row []float64, d int) string {
	if d >= len(row) {
		return "0"
	}
	return strconv.FormatFloat(row[d], 'g', -1, 64)
}

func writeMapSVG(w io.Writer, cs []cluster.ClusterState, coords [][]float64) error {
	lo, hi := [2]float64{}, [2]float64{}
	for i, row := range coords {
		for d := 0; d < min(2, len(row)); d++ {
			if i == 0 || row[d] < lo[d] {
				lo[d] = row[d]
			}
			if i == 0 || row[d] > hi[d] {
				hi[d] = row[d]
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" `+
		`viewBox="0 0 %d %d">`+"\n", mapSVGSize, mapSVGSize, mapSVGSize, mapSVGSize)
	for i, c := range cs {
		x := svgAxis(coords[i], 0, lo, hi)
		y := svgAxis(coords[i], 1, lo, hi)
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="5" fill="#36c">`+
			`<title>cluster %d (%d frames)</title></circle>`+
			`<text x="%.1f" y="%.1f" dx="7" font-size="11">%d</text>`+"\n",
			x, y, c.ID, c.Count, x, y, c.ID)
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// svgAxis maps coordinate d of row from [lo, hi] into the picture with a
// 10 % margin, or to its middle when the range is empty.
func svgAxis(row []float64, d int, lo, hi [2]float64) float64 {
	if d >= len(row) || hi[d] <= lo[d] {
		return mapSVGSize / 2
	}
	return mapSVGSize * (0.1 + 0.8*(row[d]-lo[d])/(hi[d]-lo[d]))
}
