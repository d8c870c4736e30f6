package hub

import (
	"sort"

	"github.com/edgecluster/edgecluster/edge/labels"
)

// Propagation settings for cluster centroids.
const (
	suggestNeighbors = 5
	queueLength      = 5
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

// suggestions spreads the labels of each model's clusters over its
// unlabelled ones and ranks the unlabelled ones for the queue.
func suggestions(byModel map[string][]Member) (sug, queue []suggestionView) {
	for _, ms := range byModel {
		s, q := suggestModel(ms)
		sug, queue = append(sug, s...), append(queue, q...)
	}
	sort.SliceStable(sug, func(i, j int) bool { return sug[i].Confidence > sug[j].Confidence })
	sort.SliceStable(queue, func(i, j int) bool { return queue[i].Score > queue[j].Score })
	return sug, queue[:min(queueLength, len(queue))]
}

func suggestModel(ms []Member) (sug, queue []suggestionView) {
	if len(ms) < 2 {
		return nil, nil
	}
	vectors := make([][]float32, len(ms))
	known := make([]string, len(ms))
	labelled := 0
	for i, m := range ms {
		vectors[i], known[i] = m.Centroid, m.Label
		if m.Label != "" {
			labelled++
		}
	}
	g := labels.NewGraph(vectors, suggestNeighbors)
	spread := make([]labels.Suggestion, len(ms))
	if labelled > 0 {
		spread = labels.Spread(g, known, labels.Options{})
	}
	for i, s := range spread {
		if known[i] == "" && s.Label != "" {
			sug = append(sug, suggestionView{Device: ms[i].Device, Cluster: ms[i].Cluster,
				Label: s.Label, Confidence: s.Confidence, Support: s.Reach})
		}
	}
	for _, c := range labels.Queue(g, known, spread, queueLength) {
		queue = append(queue, suggestionView{Device: ms[c.Index].Device,
			Cluster: ms[c.Index].Cluster, Score: c.Score})
	}
	return sug, queue
}
