package hub

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"math"

	"github.com/edgecluster/edgecluster/edge/reduce"
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

// mapVectors returns the vectors a map places: one centroid per member,
// or nil when the centroids' dimensions differ.
//
// TODO: add each cluster's exemplar embeddings once the hub stores them;
// devices send exemplar frame ids only.
func mapVectors(ms []Member) [][]float64 {
	if len(ms) == 0 {
		return nil
	}
	x := make([][]float64, len(ms))
	for i, m := range ms {
		if len(m.Centroid) != len(ms[0].Centroid) {
			return nil
		}
		x[i] = make([]float64, len(m.Centroid))
		for j, v := range m.Centroid {
			x[i][j] = float64(v)
		}
	}
	return x
}

// computeLayout lays x out with method; ctx bounds a t-SNE layout.
func computeLayout(ctx context.Context, method string, x [][]float64) ([][]float64, error) {
	if method == MapTSNE {
		return reduce.TSNE(ctx, x, reduce.TSNEOptions{Seed: mapSeed, Init: reduce.InitPCA})
	}
	_, coords, err := reduce.PCA(x, min(2, len(x[0])))
	return coords, err
}

// pointsHash identifies a map's input: the method, each member's device
// and cluster, and the centroid values.
func pointsHash(method string, ms []Member, x [][]float64) [sha256.Size]byte {
	h := sha256.New()
	h.Write([]byte(method))
	for i, m := range ms {
		h.Write([]byte{0})
		h.Write([]byte(m.Device))
		h.Write(binary.LittleEndian.AppendUint64(nil, uint64(m.Cluster)))
		for _, v := range x[i] {
			h.Write(binary.LittleEndian.AppendUint64(nil, math.Float64bits(v)))
		}
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}
