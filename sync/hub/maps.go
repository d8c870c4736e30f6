package hub

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"math"

	"github.com/edgecluster/edgecluster/edge/reduce"
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

// mapInput is the input of one map layout.
type mapInput struct {
	X         [][]float64   // the centroids in member order, then the exemplars
	Exemplars []mapExemplar // the exemplars placed, in X order
	Stored    int           // count of matching exemplars before MaxMapExemplars
}

// mapVectors returns the vectors a map places: one centroid per member,
// then the exemplars whose dimensions match the centroids'. It skips
// exemplars of other dimensions, keeps at most MaxMapExemplars, and
// returns no vectors when the centroids' dimensions differ.
func mapVectors(ms []Member, ex []mapExemplar) mapInput {
	if len(ms) == 0 {
		return mapInput{}
	}
	dims := len(ms[0].Centroid)
	in := mapInput{X: make([][]float64, 0, len(ms)+len(ex))}
	for _, m := range ms {
		if len(m.Centroid) != dims {
			return mapInput{}
		}
		in.X = append(in.X, float64s(m.Centroid))
	}

	var matching []mapExemplar
	for _, e := range ex {
		if len(e.Vector) == dims {
			matching = append(matching, e)
		}
	}
	in.Stored = len(matching)
	in.Exemplars = newestExemplars(matching, MaxMapExemplars)
	for _, e := range in.Exemplars {
		in.X = append(in.X, float64s(e.Vector))
	}
	return in
}

func float64s(v wire.Vector) []float64 {
	out := make([]float64, len(v))
	for i, f := range v {
		out[i] = float64(f)
	}
	return out
}

// computeLayout lays x out with method; ctx bounds a t-SNE layout.
//
// NOTE: reduce.PCA takes no context, so neither MapTimeout nor the end of
// the request stops a PCA layout. MaxMapExemplars bounds its input.
func computeLayout(ctx context.Context, method string, x [][]float64) ([][]float64, error) {
	if method == MapTSNE {
		return reduce.TSNE(ctx, x, reduce.TSNEOptions{Seed: mapSeed, Init: reduce.InitPCA})
	}
	_, coords, err := reduce.PCA(x, min(2, len(x[0])))
	return coords, err
}

// pointsHash identifies a map's input: the method, each member's device
// and cluster, each exemplar's device, cluster and frame, and every
// vector's values.
func pointsHash(method string, ms []Member, in mapInput) [sha256.Size]byte {
	h := sha256.New()
	h.Write([]byte(method))
	for i, m := range ms {
		writePoint(h, m.Device, uint64(m.Cluster), in.X[i])
	}
	h.Write([]byte("exemplars"))
	for i, e := range in.Exemplars {
		writePoint(h, e.Device, uint64(e.Cluster), in.X[len(ms)+i])
		h.Write(binary.LittleEndian.AppendUint64(nil, e.Frame))
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}

// writePoint hashes one point. Zero bytes frame the device id, which
// wire.ValidDeviceID keeps free of them, so fields cannot run together.
func writePoint(h hash.Hash, device string, cluster uint64, x []float64) {
	h.Write([]byte{0})
	h.Write([]byte(device))
	h.Write([]byte{0})
	h.Write(binary.LittleEndian.AppendUint64(nil, cluster))
	for _, v := range x {
		h.Write(binary.LittleEndian.AppendUint64(nil, math.Float64bits(v)))
	}
}
