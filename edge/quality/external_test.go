package quality

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestARICases(t *testing.T) {
	tests := []struct {
		name        string
		truth, pred []int
		want        float64
	}{
		{"empty", nil, nil, 1},
		{"renamed labels", []int{0, 0, 1, 1}, []int{5, 5, 2, 2}, 1},
		{"merged classes", []int{0, 0, 1, 2}, []int{0, 0, 1, 1}, 4.0 / 7},
		{"all split", []int{0, 0, 0, 0}, []int{0, 1, 2, 3}, 0},
		{"discordant", []int{0, 0, 1, 1}, []int{0, 1, 0, 1}, -0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ARI(tt.truth, tt.pred); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("ARI = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAccuracyCases(t *testing.T) {
	tests := []struct {
		name        string
		truth, pred []int
		want        float64
	}{
		{"empty", nil, nil, 1},
		{"renamed labels", []int{0, 0, 1, 1, 2}, []int{7, 7, 3, 3, 9}, 1},
		{"one cluster", []int{0, 0, 1, 1, 1}, []int{4, 4, 4, 4, 4}, 3.0 / 5},
		{"greedy would fail", []int{0, 0, 0, 1, 1, 1}, []int{0, 0, 1, 1, 1, 1}, 5.0 / 6},
		{"extra clusters", []int{0, 0, 0, 0}, []int{0, 1, 2, 2}, 2.0 / 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Accuracy(tt.truth, tt.pred); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("Accuracy = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLengthMismatchIsNaN(t *testing.T) {
	if got := ARI([]int{0, 1}, []int{0}); !math.IsNaN(got) {
		t.Errorf("ARI = %v, want NaN", got)
	}
	if got := Accuracy([]int{0, 1}, []int{0}); !math.IsNaN(got) {
		t.Errorf("Accuracy = %v, want NaN", got)
	}
}

// TestMatchingAgainstBruteForce compares the Hungarian matching with an
// exhaustive search over all assignments on small random weight tables.
func TestMatchingAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	for trial := range 300 {
		rows, cols := 1+rng.IntN(6), 1+rng.IntN(6)
		w := make([][]float64, rows)
		for r := range w {
			w[r] = make([]float64, cols)
			for c := range w[r] {
				w[r][c] = float64(rng.IntN(20))
			}
		}

		match := maxWeightMatching(w)
		got := matchedWeight(t, w, match)
		if want := bestWeight(w, 0, make([]bool, cols)); got != want {
			t.Fatalf("trial %d: %v: matching %v weighs %v, want %v", trial, w, match, got, want)
		}
	}
}

// matchedWeight sums a matching's weights and fails on a reused column.
func matchedWeight(t *testing.T, w [][]float64, match []int) float64 {
	t.Helper()
	used := map[int]bool{}
	var sum float64
	for r, c := range match {
		if c < 0 {
			continue
		}
		if used[c] {
			t.Fatalf("column %d matched twice in %v", c, match)
		}
		used[c] = true
		sum += w[r][c]
	}
	return sum
}

func bestWeight(w [][]float64, row int, used []bool) float64 {
	if row == len(w) {
		return 0
	}
	best := bestWeight(w, row+1, used) // leave the row unmatched
	for c := range used {
		if !used[c] {
			used[c] = true
			best = max(best, w[row][c]+bestWeight(w, row+1, used))
			used[c] = false
		}
	}
	return best
}
