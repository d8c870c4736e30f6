package quality

import (
	"errors"
	"math"
	"testing"
)

func TestScoreErrors(t *testing.T) {
	tests := []struct {
		name   string
		points [][]float32
		labels []int
		want   error
	}{
		{"no points", nil, nil, ErrTooFewClusters},
		{"one point", [][]float32{{1}}, []int{0}, ErrTooFewClusters},
		{"one cluster", [][]float32{{1}, {2}, {3}}, []int{4, 4, 4}, ErrTooFewClusters},
		{"length mismatch", [][]float32{{1}, {2}}, []int{0}, ErrInvalidInput},
		{"ragged points", [][]float32{{1, 2}, {2}}, []int{0, 1}, ErrInvalidInput},
		{"NaN", [][]float32{{1}, {float32(math.NaN())}}, []int{0, 1}, ErrInvalidInput},
		{"Inf", [][]float32{{float32(math.Inf(1))}, {1}}, []int{0, 1}, ErrInvalidInput},
	}
	scorers := map[string]func([][]float32, []int) (Scores, error){
		"Silhouette":    Silhouette,
		"DaviesBouldin": DaviesBouldin,
	}
	for _, tt := range tests {
		for scorer, score := range scorers {
			t.Run(scorer+"/"+tt.name, func(t *testing.T) {
				_, err := score(tt.points, tt.labels)
				if !errors.Is(err, tt.want) {
					t.Errorf("error = %v, want %v", err, tt.want)
				}
			})
		}
	}
}

func TestScoreSmallCases(t *testing.T) {
	tests := []struct {
		name           string
		points         [][]float32
		labels         []int
		wantSilhouette float64
		wantDB         float64
	}{
		{
			name:           "two separated pairs",
			points:         [][]float32{{0}, {1}, {10}, {11}},
			labels:         []int{0, 0, 1, 1},
			wantSilhouette: (1 - 1.0/9.5 + 1 - 1.0/10.5) / 2,
			wantDB:         (0.5 + 0.5) / 10,
		},
		{
			name:           "every point alone",
			points:         [][]float32{{0}, {1}, {5}},
			labels:         []int{0, 1, 2},
			wantSilhouette: 0,
			wantDB:         0,
		},
		{
			name:   "identical centroids",
			points: [][]float32{{-1}, {1}, {0}, {0}},
			labels: []int{0, 0, 1, 1},
			// Points ±1 have a=2, b=1 and score -0.5; points 0 have a=0, b=1 and score 1.
			wantSilhouette: (-0.5 - 0.5 + 1 + 1) / 4,
			wantDB:         0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Silhouette(tt.points, tt.labels)
			if err != nil {
				t.Fatal(err)
			}
			db, err := DaviesBouldin(tt.points, tt.labels)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(s.Overall-tt.wantSilhouette) > 1e-12 {
				t.Errorf("Silhouette = %v, want %v", s.Overall, tt.wantSilhouette)
			}
			if math.Abs(db.Overall-tt.wantDB) > 1e-12 {
				t.Errorf("DaviesBouldin = %v, want %v", db.Overall, tt.wantDB)
			}
		})
	}
}

func TestNMI(t *testing.T) {
	tests := []struct {
		name        string
		truth, pred []int
		want        float64
	}{
		{"empty", nil, nil, 1},
		{"both single cluster", []int{0, 0, 0}, []int{5, 5, 5}, 1},
		{"renamed labels", []int{0, 0, 1, 1}, []int{1, 1, 0, 0}, 1},
		{"all split", []int{0, 0, 0, 0}, []int{0, 1, 2, 3}, 0},
		{"independent", []int{0, 0, 1, 1}, []int{0, 1, 0, 1}, 0},
		{"one split", []int{0, 0, 0, 1, 1, 1}, []int{0, 0, 0, 1, 1, 2}, nmiOneSplit()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NMI(tt.truth, tt.pred)
			if math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("NMI = %v, want %v", got, tt.want)
			}
		})
	}
}

// nmiOneSplit computes the NMI of truth {0,0,0,1,1,1} and pred {0,0,0,1,1,2}
// from the definitions. pred refines truth, so MI equals H(truth).
func nmiOneSplit() float64 {
	hTruth := math.Log(2)
	hPred := -(3.0/6*math.Log(3.0/6) + 2.0/6*math.Log(2.0/6) + 1.0/6*math.Log(1.0/6))
	return hTruth / ((hTruth + hPred) / 2)
}

func TestNMILengthMismatch(t *testing.T) {
	if got := NMI([]int{0, 1}, []int{0}); !math.IsNaN(got) {
		t.Errorf("NMI = %v, want NaN", got)
	}
}

func TestWindow(t *testing.T) {
	tests := []struct {
		name     string
		capacity int
		adds     int
		want     []float32 // first coordinate of each point, oldest first
	}{
		{"empty", 3, 0, []float32{}},
		{"partial", 3, 2, []float32{0, 1}},
		{"full", 3, 3, []float32{0, 1, 2}},
		{"wrapped", 3, 5, []float32{2, 3, 4}},
		{"wrapped twice", 2, 7, []float32{5, 6}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := NewWindow(tt.capacity)
			for i := 0; i < tt.adds; i++ {
				w.Add([]float32{float32(i), 0})
			}

			points := w.Points()
			if w.Len() != len(tt.want) {
				t.Errorf("Len = %d, want %d", w.Len(), len(tt.want))
			}
			if len(points) != len(tt.want) {
				t.Fatalf("Points has %d points, want %d", len(points), len(tt.want))
			}
			for i, p := range points {
				if p[0] != tt.want[i] {
					t.Errorf("Points[%d][0] = %v, want %v", i, p[0], tt.want[i])
				}
			}
		})
	}
}

func TestWindowCopiesInput(t *testing.T) {
	w := NewWindow(2)
	vec := []float32{1, 2}
	w.Add(vec)
	vec[0] = 99

	if got := w.Points()[0][0]; got != 1 {
		t.Errorf("stored coordinate = %v after caller changed its slice, want 1", got)
	}
}

func TestWindowDefaultCapacity(t *testing.T) {
	if got := NewWindow(0).Cap(); got != DefaultWindowCapacity {
		t.Errorf("Cap = %d, want %d", got, DefaultWindowCapacity)
	}
}
