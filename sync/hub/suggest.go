package hub

import (
	"sort"

	"github.com/edgecluster/edgecluster/edge/labels"
)

// Propagation settings for cluster centroids and exemplars.
const (
	suggestNeighbors = 5
	queueLength      = 5

	// maxExemplarPoints bounds the exemplars of one model in the graph,
	// because building it takes O(n² d) time on every page load.
	maxExemplarPoints = 256
)

// suggestionView is a proposed label for one unlabelled cluster, or a
// cluster the active-learning queue asks a person to label.
type suggestionView struct {
	Device     string
	Cluster    int
	Label      string
	Confidence float64

	// Support is how much label mass reached the cluster relative to the
	// best-reached one (labels.Suggestion.Reach). A suggestion drawn from
	// one distant label has full confidence but little support.
	Support float64
	Score   float64
}

// suggestions spreads the labels of each model's clusters and exemplars
// over a kNN graph of centroids and exemplar embeddings, suggests labels
// for the unlabelled clusters and ranks those for the queue.
func (c *suggestCache) suggestions(byModel map[string][]Member,
	points map[string][]exemplarPoint) (sug, queue []suggestionView) {
	for model, ms := range byModel {
		s, q := c.model(model, ms, pickExemplars(points[model]))
		sug, queue = append(sug, s...), append(queue, q...)
	}
	sort.SliceStable(sug, func(i, j int) bool { return sug[i].Confidence > sug[j].Confidence })
	sort.SliceStable(queue, func(i, j int) bool { return queue[i].Score > queue[j].Score })
	return sug, queue[:min(queueLength, len(queue))]
}

// pickExemplars returns the labelled exemplars and, up to
// maxExemplarPoints in all, unlabelled ones spread evenly over the list.
func pickExemplars(points []exemplarPoint) []exemplarPoint {
	var labelled, other []exemplarPoint
	for _, p := range points {
		if p.Label != "" {
			labelled = append(labelled, p)
		} else {
			other = append(other, p)
		}
	}
	out := labelled[:min(len(labelled), maxExemplarPoints)]
	room := maxExemplarPoints - len(out)
	for i := 0; i < room && i < len(other); i++ {
		out = append(out, other[i*len(other)/min(room, len(other))])
	}
	return out
}

// suggestModel spreads labels over the clusters ms of one model and the
// exemplars pts, and returns suggestions and queue entries for clusters.
func suggestModel(ms []Member, pts []exemplarPoint) (sug, queue []suggestionView) {
	if len(ms) == 0 || len(ms)+len(pts) < 2 {
		return nil, nil
	}
	vectors := make([][]float32, 0, len(ms)+len(pts))
	known := make([]string, 0, len(ms)+len(pts))
	labelled := 0
	for _, m := range ms {
		vectors, known = append(vectors, m.Centroid), append(known, m.Label)
	}
	for _, p := range pts {
		vectors, known = append(vectors, p.Vector), append(known, p.Label)
	}
	for _, l := range known {
		if l != "" {
			labelled++
		}
	}
	g := labels.NewGraph(vectors, suggestNeighbors)
	spread := make([]labels.Suggestion, len(known))
	if labelled > 0 {
		spread = labels.Spread(g, known, labels.Options{})
	}
	for i, s := range spread[:len(ms)] {
		if known[i] == "" && s.Label != "" {
			sug = append(sug, suggestionView{Device: ms[i].Device, Cluster: ms[i].Cluster,
				Label: s.Label, Confidence: s.Confidence, Support: s.Reach})
		}
	}
	for _, c := range labels.Queue(g, known, spread, len(known)) {
		if c.Index >= len(ms) || len(queue) == queueLength {
			continue
		}
		queue = append(queue, suggestionView{Device: ms[c.Index].Device,
			Cluster: ms[c.Index].Cluster, Score: c.Score})
	}
	return sug, queue
}
