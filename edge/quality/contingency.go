package quality

import "sort"

// contingency is the table of co-occurrence counts of two labellings.
type contingency struct {
	counts    [][]float64 // counts[t][p]: points with truth t and prediction p
	truthSums []float64
	predSums  []float64
	n         float64
}

// newContingency counts the pairs (truth[i], pred[i]). Labels map to rows
// and columns in ascending order.
func newContingency(truth, pred []int) contingency {
	rows, cols := denseIndex(truth), denseIndex(pred)
	c := contingency{
		counts:    make([][]float64, len(rows)),
		truthSums: make([]float64, len(rows)),
		predSums:  make([]float64, len(cols)),
		n:         float64(len(truth)),
	}
	for t := range c.counts {
		c.counts[t] = make([]float64, len(cols))
	}
	for i := range truth {
		t, p := rows[truth[i]], cols[pred[i]]
		c.counts[t][p]++
		c.truthSums[t]++
		c.predSums[p]++
	}
	return c
}

// denseIndex maps each distinct label to its rank among the distinct labels.
func denseIndex(labels []int) map[int]int {
	seen := make(map[int]bool)
	var distinct []int
	for _, label := range labels {
		if !seen[label] {
			seen[label] = true
			distinct = append(distinct, label)
		}
	}
	sort.Ints(distinct)

	index := make(map[int]int, len(distinct))
	for i, label := range distinct {
		index[label] = i
	}
	return index
}
