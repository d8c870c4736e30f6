package hub

import (
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"math"
	"sync"
)

// suggestCache keeps the last suggestions of each model, keyed by a hash
// of their inputs, so a page view rebuilds the kNN graph only when a
// centroid, an exemplar or a label changed.
type suggestCache struct {
	mu     sync.Mutex
	models map[string]cachedSuggestions
}

type cachedSuggestions struct {
	sum        [sha256.Size]byte
	sug, queue []suggestionView
}

// model returns suggestModel(ms, pts), from the cache when the inputs of
// model are unchanged. Two views with new inputs may both compute.
func (c *suggestCache) model(model string, ms []Member, pts []exemplarPoint) (
	sug, queue []suggestionView) {
	sum := suggestHash(ms, pts)
	c.mu.Lock()
	cached, ok := c.models[model]
	c.mu.Unlock()
	if ok && cached.sum == sum {
		return cached.sug, cached.queue
	}

	sug, queue = suggestModel(ms, pts)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.models == nil {
		c.models = map[string]cachedSuggestions{}
	}
	c.models[model] = cachedSuggestions{sum: sum, sug: sug, queue: queue}
	return sug, queue
}

// suggestHash identifies the inputs of suggestModel: each member's device,
// cluster, label and centroid, then each exemplar's label and vector.
func suggestHash(ms []Member, pts []exemplarPoint) [sha256.Size]byte {
	h := sha256.New()
	for _, m := range ms {
		writeString(h, m.Device)
		h.Write(binary.LittleEndian.AppendUint64(nil, uint64(m.Cluster)))
		writeString(h, m.Label)
		writeFloats(h, m.Centroid)
	}
	h.Write([]byte{1})
	for _, p := range pts {
		writeString(h, p.Label)
		writeFloats(h, p.Vector)
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}

// writeString writes s with its length, so that adjacent strings cannot
// run together.
func writeString(h hash.Hash, s string) {
	h.Write(binary.LittleEndian.AppendUint64(nil, uint64(len(s))))
	h.Write([]byte(s))
}

func writeFloats(h hash.Hash, v []float32) {
	buf := binary.LittleEndian.AppendUint64(nil, uint64(len(v)))
	for _, x := range v {
		buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(x))
	}
	h.Write(buf)
}
