package quality

import "math"

// ARI computes the adjusted Rand index of two labellings of the same points
// from the pair confusion matrix, as scikit-learn 1.2's adjusted_rand_score
// does. It is 1 for identical partitions, about 0 for independent ones, and
// may be negative. Empty labellings, and labellings in which no pair of
// points is together in one and apart in the other, score 1. ARI returns NaN
// when truth and pred have different lengths.
func ARI(truth, pred []int) float64 {
	if len(truth) != len(pred) {
		return math.NaN()
	}
	c := newContingency(truth, pred)

	// Counts of ordered pairs of distinct points: together in both (tp),
	// together only in pred (fp), together only in truth (fn), apart in
	// both (tn).
	var squares, truthSquares, predSquares float64
	for t, row := range c.counts {
		for _, count := range row {
			squares += count * count
		}
		truthSquares += c.truthSums[t] * c.truthSums[t]
	}
	for _, sum := range c.predSums {
		predSquares += sum * sum
	}
	tp := squares - c.n
	fp := predSquares - squares
	fn := truthSquares - squares
	tn := c.n*c.n - fp - fn - squares

	if fn == 0 && fp == 0 {
		return 1
	}
	return 2 * (tp*tn - fn*fp) / ((tp+fn)*(fn+tn) + (tp+fp)*(fp+tn))
}

// Accuracy computes the clustering accuracy ACC: the fraction of points
// whose predicted cluster maps to their true class under the one-to-one
// mapping of clusters to classes that maximises that fraction. The mapping
// is found with the Hungarian algorithm on the contingency table, so
// clusters beyond the number of classes, or classes beyond the number of
// clusters, stay unmatched and count as errors.
//
// Accuracy returns 1 for two empty labellings and NaN when truth and pred
// have different lengths.
func Accuracy(truth, pred []int) float64 {
	if len(truth) != len(pred) {
		return math.NaN()
	}
	if len(truth) == 0 {
		return 1
	}

	c := newContingency(truth, pred)
	matched := 0.0
	for t, p := range maxWeightMatching(c.counts) {
		if p >= 0 {
			matched += c.counts[t][p]
		}
	}
	return matched / c.n
}
