package daemon

import (
	"crypto/sha256"
	"encoding/binary"
	"math"
)

// refineFingerprint is the SHA-256 of an idle run's input: the cluster
// ids, their centroids as the model stores them (float32) and the exemplar
// embeddings in cluster space.
type refineFingerprint [sha256.Size]byte

// fingerprintRefineInput hashes ids, centroids and samples in order. Two
// inputs with the same fingerprint give the same DEC run.
func fingerprintRefineInput(ids []int, samples, centroids [][]float64) refineFingerprint {
	h := sha256.New()
	buf := make([]byte, 8)
	for i, id := range ids {
		binary.LittleEndian.PutUint64(buf, uint64(id))
		h.Write(buf)
		for _, v := range centroids[i] {
			binary.LittleEndian.PutUint32(buf[:4], math.Float32bits(float32(v)))
			h.Write(buf[:4])
		}
	}
	for _, s := range samples {
		for _, v := range s {
			binary.LittleEndian.PutUint64(buf, math.Float64bits(v))
			h.Write(buf)
		}
	}
	var out refineFingerprint
	h.Sum(out[:0])
	return out
}
