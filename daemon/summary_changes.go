package daemon

import (
	"crypto/sha256"
	"encoding/json"
)

// summarizeIfChanged commits state and publishes a summary when the frame
// counters, clusters, lineage or labels differ from the latest published
// summary. It does nothing else, apart from restarting the summary.interval
// wait, so it is cheap to call after anything that may change the clusters.
func (p *pipeline) summarizeIfChanged() error {
	p.idleChanges = false
	if p.published != "" && p.fingerprint() == p.published {
		p.lastSum = p.clock.Now()
		return nil
	}
	return p.summarize()
}

// fingerprint returns a SHA-256 of the state a summary reports, leaving out
// its time and sequence number. The quality scores are left out too,
// because they follow from the clusters and the embeddings counted.
func (p *pipeline) fingerprint() string {
	data, err := json.Marshal(struct {
		Frames   any
		Clusters any
		Labels   map[int]string
		Events   uint64
	}{p.counters, p.clusters.Snapshot(), p.labels, p.clusters.Events()})
	if err != nil {
		// Unreachable for these types. An empty fingerprint never equals a
		// published one, so the caller publishes.
		p.log.Error("summary fingerprint failed", "err", err)
		return ""
	}
	sum := sha256.Sum256(data)
	return string(sum[:])
}
