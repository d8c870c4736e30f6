package quality

import "math"

// maxWeightMatching returns, for each row of the rectangular weight matrix
// w, the column matched to it (or -1) in a one-to-one matching that
// maximises the total weight.
//
// It runs the O(n³) shortest augmenting path form of the Hungarian
// algorithm (Kuhn-Munkres with row and column potentials) on the square
// matrix of costs max(w) - w, padded with zero-weight rows or columns.
func maxWeightMatching(w [][]float64) []int {
	rows := len(w)
	if rows == 0 {
		return nil
	}
	size := max(rows, len(w[0]))
	cost := squareCosts(w, size)

	owner := hungarian(cost)
	match := make([]int, rows)
	for r := range match {
		match[r] = -1
	}
	for col, row := range owner {
		if row < rows && col < len(w[0]) {
			match[row] = col
		}
	}
	return match
}

// squareCosts converts weights into size x size costs to minimise.
func squareCosts(w [][]float64, size int) [][]float64 {
	top := 0.0
	for _, row := range w {
		for _, v := range row {
			top = max(top, v)
		}
	}

	cost := make([][]float64, size)
	for r := range cost {
		cost[r] = make([]float64, size)
		for c := range cost[r] {
			cost[r][c] = top
			if r < len(w) && c < len(w[r]) {
				cost[r][c] = top - w[r][c]
			}
		}
	}
	return cost
}

// hungarian solves the square assignment problem for cost and returns the
// row assigned to each column.
func hungarian(cost [][]float64) []int {
	n := len(cost)
	// Index 0 of rowOf and the potentials is a virtual column and row.
	rowPot := make([]float64, n+1)
	colPot := make([]float64, n+1)
	rowOf := make([]int, n+1)
	way := make([]int, n+1)

	for r := 1; r <= n; r++ {
		augment(cost, r, rowPot, colPot, rowOf, way)
	}

	owner := make([]int, n)
	for c := 1; c <= n; c++ {
		owner[c-1] = rowOf[c] - 1
	}
	return owner
}

// augment adds row r to the matching along a shortest augmenting path,
// updating the potentials so that reduced costs stay non-negative.
func augment(cost [][]float64, r int, rowPot, colPot []float64, rowOf, way []int) {
	n := len(cost)
	minSlack := make([]float64, n+1)
	used := make([]bool, n+1)
	for c := range minSlack {
		minSlack[c] = math.Inf(1)
	}

	rowOf[0] = r
	col := 0
	for rowOf[col] != 0 {
		used[col] = true
		row := rowOf[col]
		delta, next := math.Inf(1), 0
		for c := 1; c <= n; c++ {
			if used[c] {
				continue
			}
			slack := cost[row-1][c-1] - rowPot[row] - colPot[c]
			if slack < minSlack[c] {
				minSlack[c], way[c] = slack, col
			}
			if minSlack[c] < delta {
				delta, next = minSlack[c], c
			}
		}
		for c := 0; c <= n; c++ {
			if used[c] {
				rowPot[rowOf[c]] += delta
				colPot[c] -= delta
			} else {
				minSlack[c] -= delta
			}
		}
		col = next
	}

	for col != 0 {
		prev := way[col]
		rowOf[col] = rowOf[prev]
		col = prev
	}
}
