package hub

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"math"

	"github.com/edgecluster/edgecluster/edge/reduce"
	"github.com/edgecluster/edgecluster/internal/vec"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// Cluster map methods, chosen with the page's "map" query parameter.
const (
	MapPCA  = "pca"
	MapTSNE = "tsne"
)

// mapSeed fixes t-SNE's random choices, so the same centroids always give
// the same map.
const mapSeed = 1

// minMapPoints is the fewest points a map is drawn for.
const minMapPoints = 3

// mapMethodName returns the method's heading text, and false for an
// unknown method.
func mapMethodName(method string) (string, bool) {
	switch method {
	case MapPCA:
		return "PCA", true
	case MapTSNE:
		return "t-SNE", true
	}
	return "", false
}

// mapInput is the input of one map layout: the members' centroids, then
// the exemplars.
type mapInput struct {
	Members   []Member
	Exemplars []mapExemplar // the exemplars placed
	Stored    int           // count of matching exemplars before MaxMapExemplars
}

// newMapInput returns the points a map places: one centroid per member,
// then the exemplars whose dimensions match the centroids'. It skips
// exemplars of other dimensions, keeps at most MaxMapExemplars, and
// returns no points when the centroids' dimensions differ.
func newMapInput(ms []Member, ex []mapExemplar) mapInput {
	if len(ms) == 0 {
		return mapInput{}
	}
	dims := len(ms[0].Centroid)
	for _, m := range ms {
		if len(m.Centroid) != dims {
			return mapInput{}
		}
	}

	var matching []mapExemplar
	for _, e := range ex {
		if len(e.Vector) == dims {
			matching = append(matching, e)
		}
	}
	return mapInput{Members: ms, Exemplars: newestExemplars(matching, MaxMapExemplars),
		Stored: len(matching)}
}

// Len returns the number of points.
func (in mapInput) Len() int { return len(in.Members) + len(in.Exemplars) }

// vectors returns the points' vectors, centroids first. A page view needs
// them only to compute a layout, so they are built on demand.
func (in mapInput) vectors() [][]float64 {
	x := make([][]float64, 0, in.Len())
	for _, m := range in.Members {
		x = append(x, vec.Float64s(m.Centroid))
	}
	for _, e := range in.Exemplars {
		x = append(x, vec.Float64s(e.Vector))
	}
	return x
}

// tsneInputDims is the width t-SNE input is reduced to by PCA first. The
// neighbour search and the affinities then cost the same for any model, and
// the leading components carry most of an embedding's variance.
const tsneInputDims = 50

// computeLayout lays x out with method within ctx. PCA runs as
// reduce.TruncatedPCA, which checks ctx between passes over the data.
func computeLayout(ctx context.Context, method string, x [][]float64) ([][]float64, error) {
	if method != MapTSNE {
		_, coords, err := reduce.TruncatedPCA(ctx, x, min(2, len(x[0]), len(x)), mapSeed)
		return coords, err
	}

	if len(x[0]) > tsneInputDims && len(x) > tsneInputDims {
		var err error
		if _, x, err = reduce.TruncatedPCA(ctx, x, tsneInputDims, mapSeed); err != nil {
			return nil, err
		}
	}
	return reduce.TSNE(ctx, x, reduce.TSNEOptions{Seed: mapSeed, Init: reduce.InitPCA})
}

// pointsHash identifies a map's input: the method, each member's device
// and cluster, each exemplar's device, cluster and frame, and every
// vector's values.
func pointsHash(method string, in mapInput) [sha256.Size]byte {
	h := sha256.New()
	h.Write([]byte(method))
	var buf []byte
	for _, m := range in.Members {
		buf = appendPoint(buf[:0], m.Device, m.Cluster, m.Centroid)
		h.Write(buf)
	}
	h.Write([]byte("exemplars"))
	for _, e := range in.Exemplars {
		buf = appendPoint(buf[:0], e.Device, e.Cluster, e.Vector)
		h.Write(binary.LittleEndian.AppendUint64(buf, e.Frame))
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}

// appendPoint appends one point's bytes to buf for hashing. Zero bytes
// frame the device id, which wire.ValidDeviceID keeps free of them, so
// fields cannot run together.
func appendPoint(buf []byte, device string, cluster int, v wire.Vector) []byte {
	buf = append(buf, 0)
	buf = append(buf, device...)
	buf = append(buf, 0)
	buf = binary.LittleEndian.AppendUint64(buf, uint64(cluster))
	for _, f := range v {
		buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(f))
	}
	return buf
}
