package quality

import "math"

// NMI computes the normalised mutual information between two labellings of
// the same points, normalised by the arithmetic mean of their entropies. It
// matches scikit-learn's normalized_mutual_info_score with its default
// average_method="arithmetic".
//
// The result lies in [0, 1]. Two labellings that each have a single cluster,
// or two empty labellings, score 1. NMI returns NaN when truth and pred have
// different lengths.
func NMI(truth, pred []int) float64 {
	if len(truth) != len(pred) {
		return math.NaN()
	}

	truthSizes := countLabels(truth)
	predSizes := countLabels(pred)
	if len(truthSizes) == len(predSizes) && len(truthSizes) <= 1 {
		return 1
	}

	mi := mutualInformation(truth, pred, truthSizes, predSizes)
	if mi == 0 {
		return 0
	}

	n := float64(len(truth))
	mean := (entropy(truthSizes, n) + entropy(predSizes, n)) / 2
	return mi / mean
}

func countLabels(labels []int) map[int]float64 {
	sizes := make(map[int]float64)
	for _, label := range labels {
		sizes[label]++
	}
	return sizes
}

// mutualInformation returns the mutual information in nats, with terms below
// machine epsilon dropped and the sum clipped at 0 as scikit-learn does.
func mutualInformation(truth, pred []int, truthSizes, predSizes map[int]float64) float64 {
	if len(truthSizes) == 1 || len(predSizes) == 1 {
		return 0
	}

	type pair struct{ truth, pred int }
	joint := make(map[pair]float64)
	for i := range truth {
		joint[pair{truth[i], pred[i]}]++
	}

	n := float64(len(truth))
	var mi float64
	for p, count := range joint {
		outer := truthSizes[p.truth] * predSizes[p.pred]
		term := count / n * (math.Log(count) - math.Log(n) - math.Log(outer) + 2*math.Log(n))
		if math.Abs(term) >= 0x1p-52 {
			mi += term
		}
	}
	return max(mi, 0)
}

// entropy returns the entropy in nats of a labelling with the given cluster
// sizes and n points.
func entropy(sizes map[int]float64, n float64) float64 {
	if len(sizes) <= 1 {
		return 0
	}

	var h float64
	for _, size := range sizes {
		h -= size / n * (math.Log(size) - math.Log(n))
	}
	return h
}
