package labels

import "sort"

// Options configures Spread. The zero value uses the defaults named below.
type Options struct {
	// Alpha is the share of a point's score that comes from its
	// neighbours, in (0, 1). 0 means 0.99.
	Alpha float64

	// Iterations is the number of propagation steps. 0 means 50.
	Iterations int
}

func (o Options) withDefaults() Options {
	if o.Alpha <= 0 || o.Alpha >= 1 {
		o.Alpha = 0.99
	}
	if o.Iterations <= 0 {
		o.Iterations = 50
	}
	return o
}

// Suggestion is the label Spread proposes for one point.
type Suggestion struct {
	// Label is the best-scoring label, "" when no label reached the point.
	Label string

	// Confidence is the best label's share of the point's score, in [0, 1].
	Confidence float64

	// Margin is the difference between the shares of the two best labels.
	Margin float64

	// Reach is the point's total score relative to the largest total of
	// any point, in [0, 1]: near 0 where no label has spread yet.
	Reach float64
}

// Spread propagates known over g. known[i] is the label of point i, or ""
// when it has none. It returns one Suggestion per point; a labelled point
// gets its own label unless its neighbours outweigh it.
func Spread(g *Graph, known []string, opts Options) []Suggestion {
	opts = opts.withDefaults()
	names := labelNames(known)
	y := seeds(known, names)
	f := cloneRows(y)
	next := cloneRows(y)
	for it := 0; it < opts.Iterations; it++ {
		for i := range f {
			for c := range next[i] {
				next[i][c] = (1 - opts.Alpha) * y[i][c]
			}
			for e, j := range g.Neighbors[i] {
				for c, v := range f[j] {
					next[i][c] += opts.Alpha * g.Weights[i][e] * v
				}
			}
		}
		f, next = next, f
	}
	balance(f, len(names))
	return suggest(f, names)
}

func labelNames(known []string) []string {
	set := map[string]bool{}
	for _, l := range known {
		if l != "" {
			set[l] = true
		}
	}
	names := make([]string, 0, len(set))
	for l := range set {
		names = append(names, l)
	}
	sort.Strings(names)
	return names
}

func seeds(known, names []string) [][]float64 {
	index := map[string]int{}
	for i, l := range names {
		index[l] = i
	}
	y := make([][]float64, len(known))
	for i, l := range known {
		y[i] = make([]float64, len(names))
		if l != "" {
			y[i][index[l]] = 1
		}
	}
	return y
}

func cloneRows(m [][]float64) [][]float64 {
	out := make([][]float64, len(m))
	for i, r := range m {
		out[i] = append([]float64(nil), r...)
	}
	return out
}

func suggest(f [][]float64, names []string) []Suggestion {
	out := make([]Suggestion, len(f))
	var maxTotal float64
	totals := make([]float64, len(f))
	for i, row := range f {
		for _, v := range row {
			totals[i] += v
		}
		maxTotal = max(maxTotal, totals[i])
	}
	for i, row := range f {
		if totals[i] <= 0 {
			continue
		}
		best, second := top2(row)
		out[i] = Suggestion{Label: names[best], Confidence: row[best] / totals[i],
			Reach: totals[i] / maxTotal}
		out[i].Margin = out[i].Confidence
		if second >= 0 {
			out[i].Margin -= row[second] / totals[i]
		}
	}
	return out
}

// top2 returns the indexes of the largest and second largest values, -1
// for a missing second.
func top2(row []float64) (int, int) {
	best, second := -1, -1
	for c, v := range row {
		switch {
		case best < 0 || v > row[best]:
			best, second = c, best
		case second < 0 || v > row[second]:
			second = c
		}
	}
	return best, second
}

// balance divides each label's scores by that label's total over all
// points (class mass normalisation), so a label seeded in a dense, well
// connected region does not outscore the others everywhere.
func balance(f [][]float64, labels int) {
	mass := make([]float64, labels)
	for _, row := range f {
		for c, v := range row {
			mass[c] += v
		}
	}
	for _, row := range f {
		for c := range row {
			if mass[c] > 0 {
				row[c] /= mass[c]
			}
		}
	}
}
