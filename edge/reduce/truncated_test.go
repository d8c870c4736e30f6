package reduce

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/floats"
)

func TestTruncatedPCAMatchesPCA(t *testing.T) {
	x := loadDigits64(t)
	want, wantProj, err := PCA(x, 2)
	if err != nil {
		t.Fatal(err)
	}
	got, gotProj, err := TruncatedPCA(context.Background(), x, 2, 1)
	if err != nil {
		t.Fatal(err)
	}

	for c := range 2 {
		gv, wv := got.ExplainedVariance[c], want.ExplainedVariance[c]
		if math.Abs(gv-wv) > 1e-6*wv {
			t.Errorf("component %d variance = %.9g, PCA %.9g", c, gv, wv)
		}
		gr, wr := got.ExplainedVarianceRatio[c], want.ExplainedVarianceRatio[c]
		if math.Abs(gr-wr) > 1e-6*wr {
			t.Errorf("component %d variance ratio = %.9g, PCA %.9g", c, gr, wr)
		}
		if d := 1 - math.Abs(floats.Dot(got.Components[c], want.Components[c])); d > 1e-6 {
			t.Errorf("component %d: 1 - |cos| to PCA's axis = %.3g, want <= 1e-6", c, d)
		}
	}
	for i := range gotProj {
		for c := range 2 {
			limit := 1e-3 * math.Sqrt(want.ExplainedVariance[c])
			if d := math.Abs(gotProj[i][c] - wantProj[i][c]); d > limit {
				t.Fatalf("row %d component %d = %.6g, PCA %.6g", i, c, gotProj[i][c],
					wantProj[i][c])
			}
		}
	}
}

func TestTruncatedPCAIsSeeded(t *testing.T) {
	x := randomRows(200, 40, 3)
	a, _, err := TruncatedPCA(context.Background(), x, 3, 7)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := TruncatedPCA(context.Background(), x, 3, 7)
	if err != nil {
		t.Fatal(err)
	}
	for c := range 3 {
		for j := range a.Components[c] {
			if a.Components[c][j] != b.Components[c][j] {
				t.Fatalf("component %d entry %d = %v then %v with the same seed", c, j,
					a.Components[c][j], b.Components[c][j])
			}
		}
	}
}

func TestTruncatedPCARankDeficient(t *testing.T) {
	// Every row lies on one line, so the second component carries no variance.
	x := make([][]float64, 30)
	for i := range x {
		x[i] = []float64{float64(i), 2 * float64(i), -float64(i), 0}
	}
	model, proj, err := TruncatedPCA(context.Background(), x, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if r := model.ExplainedVarianceRatio[0]; math.Abs(r-1) > 1e-9 {
		t.Errorf("first variance ratio = %v, want 1", r)
	}
	if v := model.ExplainedVariance[1]; v > 1e-9 {
		t.Errorf("second variance = %v, want 0", v)
	}
	for i, row := range proj {
		if math.IsNaN(row[0]) || math.IsNaN(row[1]) {
			t.Fatalf("row %d projects to %v", i, row)
		}
	}
}

func TestTruncatedPCAErrors(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		x    [][]float64
		dims int
		want error
	}{
		{"no rows", context.Background(), nil, 1, ErrInvalidInput},
		{"NaN", context.Background(), [][]float64{{1, math.NaN()}, {2, 3}}, 1, ErrInvalidInput},
		{"too many dims", context.Background(), randomRows(5, 3, 1), 4, ErrUnsupported},
		{"zero dims", context.Background(), randomRows(5, 3, 1), 0, ErrUnsupported},
		{"cancelled", cancelled, randomRows(50, 8, 1), 2, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := TruncatedPCA(tt.ctx, tt.x, tt.dims, 1)
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func BenchmarkTruncatedPCA(b *testing.B) {
	for _, size := range []struct{ rows, cols int }{{1000, 128}, {4000, 1280}} {
		x := randomRows(size.rows, size.cols, 5)
		b.Run(fmt.Sprintf("%dx%d", size.rows, size.cols), func(b *testing.B) {
			for b.Loop() {
				if _, _, err := TruncatedPCA(context.Background(), x, 2, 1); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestTruncatedPCAExactlyLowRank(t *testing.T) {
	tests := []struct {
		name       string
		rows, cols int
		value      func(i, j int) float64
	}{
		{"two distinct rows", 300, 1280, func(i, j int) float64 { return float64(i%2) * float64(j%3) }},
		{"equal columns", 60, 1280, func(i, _ int) float64 { return float64(i) * 1e-3 }},
		{"checkerboard", 60, 64, func(i, j int) float64 { return float64(1 - 2*((i+j)%2)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := make([][]float64, tt.rows)
			for i := range x {
				x[i] = make([]float64, tt.cols)
				for j := range x[i] {
					x[i][j] = tt.value(i, j)
				}
			}
			model, proj, err := TruncatedPCA(context.Background(), x, 50, 1)
			if err != nil {
				t.Fatal(err)
			}
			// Every case has rank 1 once centred, so the first component
			// carries all the variance.
			if r := model.ExplainedVarianceRatio[0]; math.Abs(r-1) > 1e-9 {
				t.Errorf("first variance ratio = %v, want 1", r)
			}
			for i, row := range proj {
				for c, v := range row {
					if math.IsNaN(v) || math.IsInf(v, 0) {
						t.Fatalf("row %d component %d = %v, want a finite value", i, c, v)
					}
				}
			}
		})
	}
}
