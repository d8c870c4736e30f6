package reduce

import (
	"errors"
	"math"
	"testing"
)

func TestPCAMatchesSklearn(t *testing.T) {
	x := loadDigits64(t)
	model, proj, err := PCA(x, 3)
	if err != nil {
		t.Fatal(err)
	}
	peer := runPeer(t, x, "pca", "--out-dims", "3")

	for c, want := range peer.ExplainedVariance {
		got := model.ExplainedVariance[c]
		if math.Abs(got-want) > 1e-9*want {
			t.Errorf("component %d explained variance = %.10g, scikit-learn %.10g", c, got, want)
		}
	}
	// scikit-learn fixes signs by another rule, so compare up to sign.
	for c := 0; c < 3; c++ {
		sign := math.Copysign(1, proj[0][c]*peer.Embedding[0][c])
		for i := range proj {
			if d := math.Abs(proj[i][c] - sign*peer.Embedding[i][c]); d > 1e-6 {
				t.Fatalf("row %d component %d = %.9g, scikit-learn %.9g", i, c,
					proj[i][c], peer.Embedding[i][c])
			}
		}
	}
}

func TestPCAExplainedVarianceRatio(t *testing.T) {
	x := [][]float64{{0, 0}, {2, 0}, {4, 0}, {0, 1}, {2, 1}, {4, 1}}
	model, _, err := PCA(x, 2)
	if err != nil {
		t.Fatal(err)
	}
	// Column variances with the n-1 denominator: 8·2/5 = 3.2 and 1.5/5 = 0.3.
	want := []float64{3.2, 0.3}
	for c, w := range want {
		if math.Abs(model.ExplainedVariance[c]-w) > 1e-12 {
			t.Errorf("variance %d = %v, want %v", c, model.ExplainedVariance[c], w)
		}
		if r := model.ExplainedVarianceRatio[c]; math.Abs(r-w/3.5) > 1e-12 {
			t.Errorf("ratio %d = %v, want %v", c, r, w/3.5)
		}
	}
}

func TestPCASignIsStable(t *testing.T) {
	x := randomRows(50, 6, 11)
	model, _, err := PCA(x, 3)
	if err != nil {
		t.Fatal(err)
	}
	reordered := make([][]float64, len(x))
	for i, row := range x {
		reordered[i] = make([]float64, len(row))
		copy(reordered[i], row)
	}
	// Reordering rows changes the SVD's internal signs but not the model.
	reordered[0], reordered[49] = reordered[49], reordered[0]
	again, _, err := PCA(reordered, 3)
	if err != nil {
		t.Fatal(err)
	}
	for c, axis := range model.Components {
		if e := maxRelativeError(again.Components[c], axis); e > 1e-9 {
			t.Errorf("component %d changed by %.3g after reordering rows", c, e)
		}
		if largest(axis) <= 0 {
			t.Errorf("component %d: largest-magnitude loading is negative", c)
		}
	}
}

func largest(axis []float64) float64 {
	best := 0.0
	for _, a := range axis {
		if math.Abs(a) > math.Abs(best) {
			best = a
		}
	}
	return best
}

func TestPCAErrors(t *testing.T) {
	tests := []struct {
		name string
		x    [][]float64
		dims int
		want error
	}{
		{"no rows", nil, 2, ErrInvalidInput},
		{"ragged", [][]float64{{1, 2}, {3}}, 1, ErrInvalidInput},
		{"NaN", [][]float64{{1, 2}, {math.NaN(), 0}}, 1, ErrInvalidInput},
		{"too many components", [][]float64{{1, 2}, {3, 4}}, 3, ErrUnsupported},
		{"zero components", [][]float64{{1, 2}, {3, 4}}, 0, ErrUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := PCA(tt.x, tt.dims); !errors.Is(err, tt.want) {
				t.Errorf("error = %v, want %v", err, tt.want)
			}
		})
	}
}
