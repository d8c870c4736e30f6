package daemon

import (
	"fmt"
	"slices"

	"github.com/edgecluster/edgecluster/edge/cluster"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// maxSummaryMarks is how many of the latest summaries a device remembers
// the lineage position of. A hub refinement from an older summary is
// rejected as stale.
const maxSummaryMarks = 64

// summaryMark is the lineage position of a published summary: the number of
// lineage events the clusters had recorded when it was built.
type summaryMark struct {
	seq    uint64
	events uint64
}

// markSummary remembers the lineage position of summary seq, so a hub
// refinement made from it can tell which lineage events came after.
func (p *pipeline) markSummary(seq uint64) {
	p.summaryMarks = append(p.summaryMarks, summaryMark{seq: seq, events: p.clusters.Events()})
	if len(p.summaryMarks) > maxSummaryMarks {
		p.summaryMarks = slices.Delete(p.summaryMarks, 0, len(p.summaryMarks)-maxSummaryMarks)
	}
}

// checkRefineLineage rejects r when any of its clusters took part in a
// lineage event (refine, merge, split, spawn) after the summary it was made
// from, because r's centroids would undo or misplace that change. It also
// rejects r when that summary is not among the latest ones this run
// published.
func (p *pipeline) checkRefineLineage(r *wire.Refinement) error {
	idx := slices.IndexFunc(p.summaryMarks, func(m summaryMark) bool {
		return m.seq == r.Summary
	})
	if idx < 0 {
		return fmt.Errorf("%w: summary %d is not among the %d latest summaries since the "+
			"device started; refine again from the latest summary", errRefineStale, r.Summary,
			len(p.summaryMarks))
	}
	since := p.clusters.Events() - p.summaryMarks[idx].events
	lineage := p.clusters.Lineage()
	if p.summaryMarks[idx].events > p.clusters.Events() || since > uint64(len(lineage)) {
		return fmt.Errorf("%w: the lineage after summary %d is no longer stored; refine "+
			"again from the latest summary", errRefineStale, r.Summary)
	}
	refined := make(map[int]bool, len(r.Clusters))
	for _, c := range r.Clusters {
		refined[c.ID] = true
	}
	for _, e := range lineage[len(lineage)-int(since):] {
		if id, ok := touchedCluster(e, refined); ok {
			return fmt.Errorf("%w: cluster %d changed by a %s event after summary %d; "+
				"refine again from the latest summary", errRefineStale, id, e.Kind, r.Summary)
		}
	}
	return nil
}

// touchedCluster returns the first id in refined that e consumed, split,
// refined or created.
func touchedCluster(e cluster.LineageEvent, refined map[int]bool) (int, bool) {
	for _, id := range append(slices.Clone(e.From), e.Into) {
		if refined[id] {
			return id, true
		}
	}
	return 0, false
}

// refinedCentroids returns the new centroid of each cluster of r: the
// current centroid plus r's shift Centroid − Base, or Centroid itself
// when r has no Base or current has no such cluster.
func refinedCentroids(r *wire.Refinement, current map[int][]float32) map[int][]float32 {
	out := make(map[int][]float32, len(r.Clusters))
	for _, c := range r.Clusters {
		cur, ok := current[c.ID]
		if c.Base == nil || !ok || len(cur) != len(c.Centroid) {
			out[c.ID] = c.Centroid
			continue
		}
		moved := make([]float32, len(cur))
		for d := range cur {
			moved[d] = cur[d] + (c.Centroid[d] - c.Base[d])
		}
		out[c.ID] = moved
	}
	return out
}
