package reduce

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// digitsPath is scikit-learn's digits data set as stored for package eval:
// a header, then rows of a class label and 64 pixel values.
const digitsPath = "../eval/testdata/digits.csv"

func loadDigits(t testing.TB) [][]float32 {
	t.Helper()
	f, err := os.Open(digitsPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]float32
	for _, row := range rows[1:] {
		vec := make([]float32, len(row)-1)
		for j, cell := range row[1:] {
			v, err := strconv.ParseFloat(cell, 32)
			if err != nil {
				t.Fatal(err)
			}
			vec[j] = float32(v)
		}
		out = append(out, vec)
	}
	return out
}

// gaussianStream returns n vectors of dims elements from a zero-mean
// Gaussian whose covariance has eigenvalues 100/(i+1)² along the columns of
// a random orthogonal matrix, shifted by 5 in every element.
func gaussianStream(seed uint64, n, dims int) [][]float32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	random := mat.NewDense(dims, dims, nil)
	for i := range dims {
		for j := range dims {
			random.Set(i, j, rng.NormFloat64())
		}
	}
	var qr mat.QR
	qr.Factorize(random)
	var rotation mat.Dense
	qr.QTo(&rotation)

	out := make([][]float32, n)
	z := make([]float64, dims)
	for k := range out {
		for i := range z {
			z[i] = rng.NormFloat64() * 10 / float64(i+1)
		}
		out[k] = make([]float32, dims)
		for i := range dims {
			s := 5.0
			for j := range dims {
				s += rotation.At(i, j) * z[j]
			}
			out[k][i] = float32(s)
		}
	}
	return out
}

// batchPCA returns the leading k principal directions of vectors as the
// columns of a matrix, and all the variances, from gonum's stat.PC.
func batchPCA(t testing.TB, vectors [][]float32, k int) (*mat.Dense, []float64) {
	t.Helper()
	data := mat.NewDense(len(vectors), len(vectors[0]), nil)
	for i, v := range vectors {
		for j, x := range v {
			data.Set(i, j, float64(x))
		}
	}
	var pc stat.PC
	if !pc.PrincipalComponents(data, nil) {
		t.Fatal("stat.PC failed")
	}
	var vecs mat.Dense
	pc.VectorsTo(&vecs)
	return mat.DenseCopyOf(vecs.Slice(0, len(vectors[0]), 0, k)), pc.VarsTo(nil)
}

// fitIncremental updates a new estimator with passes shuffled passes over
// vectors.
func fitIncremental(t testing.TB, vectors [][]float32, k, passes int) *Incremental {
	t.Helper()
	p, err := NewIncremental(IncrementalConfig{Components: k}, len(vectors[0]))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 3))
	for range passes {
		for _, i := range rng.Perm(len(vectors)) {
			if err := p.Update(vectors[i]); err != nil {
				t.Fatal(err)
			}
		}
	}
	return p
}

// orthonormal returns an orthonormal basis of the span of rows, as the
// columns of a matrix.
func orthonormal(rows [][]float64) *mat.Dense {
	a := mat.NewDense(len(rows[0]), len(rows), nil)
	for i, row := range rows {
		a.SetCol(i, row)
	}
	var qr mat.QR
	qr.Factorize(a)
	var q mat.Dense
	qr.QTo(&q)
	return mat.DenseCopyOf(q.Slice(0, len(rows[0]), 0, len(rows)))
}

// largestAngle returns the largest principal angle in degrees between the
// column spans of the orthonormal matrices a and b.
func largestAngle(a, b *mat.Dense) float64 {
	var product mat.Dense
	product.Mul(a.T(), b)
	var svd mat.SVD
	svd.Factorize(&product, mat.SVDNone)
	values := svd.Values(nil)
	smallest := min(values[len(values)-1], 1)
	return math.Acos(smallest) * 180 / math.Pi
}

// capturedVariance returns the variance of vectors along the orthonormal
// columns of basis, summed.
func capturedVariance(vectors [][]float32, basis *mat.Dense) float64 {
	_, k := basis.Dims()
	mean := make([]float64, len(vectors[0]))
	for _, v := range vectors {
		for j, x := range v {
			mean[j] += float64(x) / float64(len(vectors))
		}
	}
	var total float64
	for c := range k {
		column := mat.Col(nil, c, basis)
		var sum float64
		for _, v := range vectors {
			var p float64
			for j, x := range v {
				p += (float64(x) - mean[j]) * column[j]
			}
			sum += p * p
		}
		total += sum / float64(len(vectors)-1)
	}
	return total
}

func TestIncrementalMatchesBatchPCA(t *testing.T) {
	tests := []struct {
		name       string
		vectors    [][]float32
		components int
		passes     int

		// maxAngle bounds the largest principal angle between the estimated
		// and the batch subspace, in degrees. minCaptured bounds the variance
		// along the estimated subspace as a fraction of the batch maximum.
		// maxVarianceError bounds the relative error of the first
		// component's variance.
		maxAngle, minCaptured, maxVarianceError float64
	}{
		// The bounds are about twice the values measured with DefaultAmnesia.
		// The amnesic average keeps the variance estimates noisy on the
		// 1797 digits: about 7% off after five passes.
		{"gaussian 32-d, 4 components", gaussianStream(1, 20000, 32), 4, 1, 2, 0.999, 0.01},
		{"gaussian 32-d, 8 components", gaussianStream(2, 20000, 32), 8, 1, 2, 0.999, 0.05},
		{"digits, 2 components", loadDigits(t), 2, 5, 12, 0.995, 0.15},
		{"digits, 10 components", loadDigits(t), 10, 5, 2, 0.999, 0.15},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, variances := batchPCA(t, tt.vectors, tt.components)
			p := fitIncremental(t, tt.vectors, tt.components, tt.passes)
			got := orthonormal(p.Basis())

			angle := largestAngle(want, got)
			captured := capturedVariance(tt.vectors, got) / capturedVariance(tt.vectors, want)
			varianceError := math.Abs(p.Variances()[0]-variances[0]) / variances[0]
			t.Logf("largest angle %.2f°, captured variance %.4f, first variance error %.4f",
				angle, captured, varianceError)
			if angle > tt.maxAngle {
				t.Errorf("largest principal angle = %.2f°, want <= %v°", angle, tt.maxAngle)
			}
			if captured < tt.minCaptured {
				t.Errorf("captured variance = %.4f of batch PCA's, want >= %v",
					captured, tt.minCaptured)
			}
			if varianceError > tt.maxVarianceError {
				t.Errorf("first variance = %.4g, batch %.4g, relative error %.4f, want <= %v",
					p.Variances()[0], variances[0], varianceError, tt.maxVarianceError)
			}
		})
	}
}

func TestIncrementalRejectsBadInput(t *testing.T) {
	tests := []struct {
		name string
		cfg  IncrementalConfig
		dims int
		vec  []float32
	}{
		{"no components", IncrementalConfig{}, 4, nil},
		{"more components than dims", IncrementalConfig{Components: 5}, 4, nil},
		{"NaN amnesia", IncrementalConfig{Components: 1, Amnesia: math.NaN()}, 4, nil},
		{"short vector", IncrementalConfig{Components: 2}, 4, []float32{1, 2, 3}},
		{"NaN element", IncrementalConfig{Components: 2}, 4, []float32{1, float32(math.NaN()), 0, 0}},
		{"infinite element", IncrementalConfig{Components: 2}, 4,
			[]float32{1, 0, float32(math.Inf(-1)), 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewIncremental(tt.cfg, tt.dims)
			if tt.vec == nil {
				if !errors.Is(err, ErrInvalidInput) {
					t.Errorf("NewIncremental error = %v, want ErrInvalidInput", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Update(tt.vec); !errors.Is(err, ErrInvalidInput) {
				t.Errorf("Update error = %v, want ErrInvalidInput", err)
			}
			if p.Count() != 0 {
				t.Errorf("Count = %d after a rejected vector, want 0", p.Count())
			}
			if _, err := p.Transform(tt.vec); !errors.Is(err, ErrInvalidInput) {
				t.Errorf("Transform error = %v, want ErrInvalidInput", err)
			}
		})
	}
}

func TestIncrementalWarmUp(t *testing.T) {
	p, err := NewIncremental(IncrementalConfig{Components: 2}, 3)
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		vec       []float32
		wantReady bool
	}{
		{[]float32{1, 0, 0}, false},
		{[]float32{3, 0, 0}, false},
		{[]float32{2, 2, 0}, true},
	}
	for i, s := range steps {
		if err := p.Update(s.vec); err != nil {
			t.Fatal(err)
		}
		if p.Ready() != s.wantReady {
			t.Errorf("after vector %d: Ready = %v, want %v", i, p.Ready(), s.wantReady)
		}
	}
	got, err := p.Transform([]float32{2, 0, 0})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("Transform returned %d values, want 2", len(got))
	}
	for _, v := range got {
		if math.IsNaN(float64(v)) {
			t.Errorf("Transform = %v, want finite values", got)
		}
	}
}

func BenchmarkIncrementalUpdate(b *testing.B) {
	for _, dims := range []int{128, 1280} {
		for _, k := range []int{32, 64} {
			b.Run(fmt.Sprintf("dims=%d/components=%d", dims, k), func(b *testing.B) {
				vectors := gaussianStream(4, 256, dims)
				p, err := NewIncremental(IncrementalConfig{Components: k}, dims)
				if err != nil {
					b.Fatal(err)
				}
				i := 0
				for b.Loop() {
					if err := p.Update(vectors[i%len(vectors)]); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
		}
	}
}

func TestIncrementalRestoreContinues(t *testing.T) {
	vectors := gaussianStream(5, 400, 16)
	reference := fitIncremental(t, vectors, 4, 1)

	for _, stop := range []int{0, 1, 3, 5, 200} {
		t.Run(fmt.Sprintf("stop at %d", stop), func(t *testing.T) {
			p, err := NewIncremental(IncrementalConfig{Components: 4}, 16)
			if err != nil {
				t.Fatal(err)
			}
			order := rand.New(rand.NewPCG(3, 3)).Perm(len(vectors))
			for _, i := range order[:stop] {
				if err := p.Update(vectors[i]); err != nil {
					t.Fatal(err)
				}
			}
			data, err := json.Marshal(p.Snapshot())
			if err != nil {
				t.Fatal(err)
			}
			var s IncrementalState
			if err := json.Unmarshal(data, &s); err != nil {
				t.Fatal(err)
			}
			restored, err := RestoreIncremental(s)
			if err != nil {
				t.Fatal(err)
			}
			for _, i := range order[stop:] {
				if err := restored.Update(vectors[i]); err != nil {
					t.Fatal(err)
				}
			}
			if got, want := fmt.Sprint(restored.Snapshot()), fmt.Sprint(reference.Snapshot()); got != want {
				t.Error("restored estimator ends in another state than the one never stopped")
			}
		})
	}
}

func TestRestoreIncrementalKeepsPlainAverage(t *testing.T) {
	p, err := NewIncremental(IncrementalConfig{Components: 1, Amnesia: -1}, 2)
	if err != nil {
		t.Fatal(err)
	}
	restored, err := RestoreIncremental(p.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	if got := restored.Snapshot().Amnesia; got != 0 {
		t.Errorf("restored Amnesia = %v, want 0", got)
	}
}

func TestRestoreIncrementalRejectsBadState(t *testing.T) {
	good := fitIncremental(t, gaussianStream(6, 50, 4), 2, 1).Snapshot()
	tests := []struct {
		name   string
		change func(*IncrementalState)
		want   error
	}{
		{"newer version", func(s *IncrementalState) { s.Version = 2 }, ErrUnsupported},
		{"short mean", func(s *IncrementalState) { s.Mean = s.Mean[:3] }, ErrInvalidInput},
		{"NaN mean", func(s *IncrementalState) { s.Mean[0] = math.NaN() }, ErrInvalidInput},
		{"too many vectors", func(s *IncrementalState) {
			s.Vectors = append(s.Vectors, []float64{1, 0, 0, 0})
		}, ErrInvalidInput},
		{"short vector", func(s *IncrementalState) { s.Vectors[1] = []float64{1} },
			ErrInvalidInput},
		{"infinite vector", func(s *IncrementalState) { s.Vectors[0][2] = math.Inf(1) },
			ErrInvalidInput},
		{"vectors before data", func(s *IncrementalState) { s.Count = 1 }, ErrInvalidInput},
		{"no components", func(s *IncrementalState) {
			s.Components, s.Vectors = 0, nil
		}, ErrInvalidInput},
		{"negative amnesia", func(s *IncrementalState) { s.Amnesia = -1 }, ErrInvalidInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := good
			s.Mean = append([]float64(nil), good.Mean...)
			s.Vectors = nil
			for _, v := range good.Vectors {
				s.Vectors = append(s.Vectors, append([]float64(nil), v...))
			}
			tt.change(&s)
			if _, err := RestoreIncremental(s); !errors.Is(err, tt.want) {
				t.Errorf("error = %v, want %v", err, tt.want)
			}
		})
	}
}
