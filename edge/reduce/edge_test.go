package reduce

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
)

func TestTSNEInputErrors(t *testing.T) {
	nan := [][]float64{{1, 2}, {3, 4}, {math.NaN(), 5}}
	inf := [][]float64{{1, 2}, {math.Inf(1), 4}}
	tests := []struct {
		name     string
		x        [][]float64
		opts     TSNEOptions
		want     error
		wantText string
	}{
		{"no rows", nil, TSNEOptions{}, ErrInvalidInput, "no rows"},
		{"empty row", [][]float64{{}}, TSNEOptions{}, ErrInvalidInput, "row 0 is empty"},
		{"ragged", [][]float64{{1, 2}, {3}}, TSNEOptions{}, ErrInvalidInput, "row 1 has 1"},
		{"NaN", nan, TSNEOptions{}, ErrInvalidInput, "row 2 column 0 is NaN"},
		{"infinity", inf, TSNEOptions{}, ErrInvalidInput, "row 1 column 0 is +Inf"},
		{"4-D output", randomRows(5, 2, 1), TSNEOptions{Dims: 4}, ErrUnsupported, "4 dim"},
		{"theta above 1", randomRows(5, 2, 1), TSNEOptions{Theta: 1.5}, ErrInvalidInput,
			"theta 1.5"},
		{"negative perplexity", randomRows(5, 2, 1), TSNEOptions{Perplexity: -1},
			ErrInvalidInput, "perplexity -1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := TSNE(context.Background(), tt.x, tt.opts)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("error = %q, want it to contain %q", err, tt.wantText)
			}
		})
	}
}

func TestPerplexityClamp(t *testing.T) {
	tests := []struct {
		n              int
		perplexity     float64
		wantPerplexity float64
		wantNeighbours int
	}{
		{1000, 30, 30, 90},
		{91, 30, 30, 90},
		{31, 30, 10, 30},
		{10, 30, 3, 9},
		{2, 30, 1.0 / 3, 1},
		{100, 0.1, 0.1, 1},
	}
	for _, tt := range tests {
		cfg, err := TSNEOptions{Perplexity: tt.perplexity}.resolve(tt.n)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Perplexity != tt.wantPerplexity || cfg.neighbours != tt.wantNeighbours {
			t.Errorf("n %d perplexity %v: got perplexity %v with %d neighbours, want %v with %d",
				tt.n, tt.perplexity, cfg.Perplexity, cfg.neighbours, tt.wantPerplexity,
				tt.wantNeighbours)
		}
	}
}

func TestTSNESmallInputs(t *testing.T) {
	duplicates := make([][]float64, 40)
	for i := range duplicates {
		duplicates[i] = []float64{float64(i % 2), 1, 2}
	}
	tests := []struct {
		name string
		x    [][]float64
	}{
		{"one row", [][]float64{{1, 2, 3}}},
		{"two rows", [][]float64{{1, 2, 3}, {4, 5, 6}}},
		{"fewer rows than 3·perplexity", randomRows(12, 4, 2)},
		{"all rows equal", [][]float64{{1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}}},
		{"two positions repeated", duplicates},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			y, err := TSNE(context.Background(), tt.x, TSNEOptions{Iterations: 300})
			if err != nil {
				t.Fatal(err)
			}
			if len(y) != len(tt.x) {
				t.Fatalf("got %d rows, want %d", len(y), len(tt.x))
			}
			assertFinite(t, y)
		})
	}
}

func TestTSNESeparatesDuplicateGroups(t *testing.T) {
	x := make([][]float64, 40)
	for i := range x {
		x[i] = []float64{float64(i%2) * 10, 0}
	}
	y, err := TSNE(context.Background(), x, TSNEOptions{Perplexity: 5})
	if err != nil {
		t.Fatal(err)
	}
	for i := range y {
		nearest := byDistance(y, i)[1]
		if nearest%2 != i%2 {
			t.Errorf("row %d: nearest embedded row %d is from the other group", i, nearest)
		}
	}
}

func assertFinite(t *testing.T, y [][]float64) {
	t.Helper()
	for i, row := range y {
		for d, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("row %d coordinate %d = %v", i, d, v)
			}
		}
	}
}

func TestVPTreeMatchesBruteForce(t *testing.T) {
	x := randomRows(400, 6, 9)
	// Repeated rows exercise distance ties.
	for i := 0; i < 40; i++ {
		x[100+i] = x[i]
	}
	cfg, err := TSNEOptions{Perplexity: 5}.resolve(len(x))
	if err != nil {
		t.Fatal(err)
	}
	tree := newVPTree(x, newTestRand(3))
	for i := range x {
		got := tree.search(i, cfg.neighbours)
		order := byDistance(x, i)[1 : cfg.neighbours+1]
		for r, nb := range got {
			if nb.index != order[r] {
				t.Fatalf("row %d neighbour %d = %d, want %d", i, r, nb.index, order[r])
			}
		}
	}
}

func TestPerplexityCalibration(t *testing.T) {
	x := randomRows(300, 8, 4)
	for _, perplexity := range []float64{5, 30} {
		cfg, err := TSNEOptions{Perplexity: perplexity}.resolve(len(x))
		if err != nil {
			t.Fatal(err)
		}
		tree := newVPTree(x, newTestRand(1))
		for i := range x {
			nb := tree.search(i, cfg.neighbours)
			p := make([]float64, len(nb))
			conditional(nb, perplexity, p)
			entropy := 0.0
			for _, v := range p {
				if v > 0 {
					entropy -= v * math.Log(v)
				}
			}
			if got := math.Exp(entropy); math.Abs(got-perplexity) > 1e-3*perplexity {
				t.Fatalf("perplexity %v row %d: calibrated perplexity %.6f", perplexity, i, got)
			}
		}
	}
}

func TestSymmetrisedPSumsToOne(t *testing.T) {
	p := testP(t, randomRows(200, 5, 2), 10)
	sum := 0.0
	for i := 0; i+1 < len(p.start); i++ {
		for k := p.start[i]; k < p.start[i+1]; k++ {
			sum += p.vals[k]
			if !hasEntry(p, p.cols[k], i, p.vals[k]) {
				t.Fatalf("P[%d][%d] = %v has no equal transpose", i, p.cols[k], p.vals[k])
			}
		}
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("sum of P = %.15f, want 1", sum)
	}
}

func hasEntry(p *sparseP, row, col int, val float64) bool {
	for k := p.start[row]; k < p.start[row+1]; k++ {
		if p.cols[k] == col {
			return p.vals[k] == val
		}
	}
	return false
}
