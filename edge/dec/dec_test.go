package dec

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/edgecluster/edgecluster/edge/quality"
)

// blobs returns n samples of dims values around k random centers, with
// the true center of each sample.
func blobs(n, k, dims int, spread float64, seed uint64) ([][]float64, []int) {
	rng := rand.New(rand.NewPCG(seed, 9))
	centers := make([][]float64, k)
	for j := range centers {
		centers[j] = make([]float64, dims)
		for d := range centers[j] {
			centers[j][d] = rng.Float64()
		}
	}
	samples := make([][]float64, n)
	truth := make([]int, n)
	for i := range samples {
		truth[i] = i % k
		samples[i] = make([]float64, dims)
		for d := range samples[i] {
			samples[i][d] = centers[truth[i]][d] + spread*rng.NormFloat64()
		}
	}
	return samples, truth
}

func TestKLGradients(t *testing.T) {
	for _, alpha := range []float64{1, 2.5} {
		t.Run(fmt.Sprintf("alpha=%g", alpha), func(t *testing.T) {
			codes, _ := blobs(6, 3, 4, 0.3, 1)
			centroids, _ := blobs(3, 3, 4, 0.1, 2)
			q, _ := softAssign(codes, centroids, alpha)
			p := targetDistribution(q) // held fixed, as between target updates
			loss := func() float64 {
				q, _ := softAssign(codes, centroids, alpha)
				return klDivergence(p, q)
			}
			q, kernel := softAssign(codes, centroids, alpha)
			dCodes, dCentroids := klGradients(codes, centroids, p, q, kernel, alpha)
			checkAgainstDifferences(t, "code", codes, dCodes, loss)
			checkAgainstDifferences(t, "centroid", centroids, dCentroids, loss)
		})
	}
}

func checkAgainstDifferences(t *testing.T, what string, values, grads [][]float64,
	loss func() float64) {
	t.Helper()
	const h = 1e-6
	for i := range values {
		for d := range values[i] {
			old := values[i][d]
			values[i][d] = old + h
			up := loss()
			values[i][d] = old - h
			down := loss()
			values[i][d] = old
			want := (up - down) / (2 * h)
			if math.Abs(grads[i][d]-want) > 1e-6*math.Max(1, math.Abs(want)) {
				t.Errorf("%s %d[%d]: gradient %g, finite difference %g",
					what, i, d, grads[i][d], want)
			}
		}
	}
}

func TestTargetDistribution(t *testing.T) {
	q := [][]float64{{0.6, 0.4}, {0.3, 0.7}, {0.5, 0.5}}
	p := targetDistribution(q)
	for i := range p {
		if sum := p[i][0] + p[i][1]; math.Abs(sum-1) > 1e-12 {
			t.Errorf("row %d of P sums to %g, want 1", i, sum)
		}
	}
	if p[0][0] <= q[0][0] {
		t.Errorf("P[0][0] = %g, want above Q[0][0] = %g", p[0][0], q[0][0])
	}
	if p[1][1] <= q[1][1] {
		t.Errorf("P[1][1] = %g, want above Q[1][1] = %g", p[1][1], q[1][1])
	}
}

func pretrained(t testing.TB, samples [][]float64) *Autoencoder {
	t.Helper()
	ae, err := NewAutoencoder([]int{len(samples[0]), 16, 3}, 4)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ae.Train(samples, TrainConfig{Epochs: 40, BatchSize: 32,
		LearningRate: 3e-3, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	return ae
}

func TestAutoencoderTrain(t *testing.T) {
	samples, _ := blobs(300, 4, 12, 0.05, 3)
	ae, _ := NewAutoencoder([]int{12, 16, 3}, 4)
	res, err := ae.Train(samples, TrainConfig{Epochs: 200, BatchSize: 32,
		LearningRate: 3e-3, Patience: 3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if first, best := res.Validation[0], res.Validation[res.BestEpoch-1]; best > 0.5*first {
		t.Errorf("best validation loss %g, want below half the first %g", best, first)
	}
	if res.Epochs-res.BestEpoch > 3 {
		t.Errorf("ran %d epochs after the best epoch %d, want at most Patience 3",
			res.Epochs-res.BestEpoch, res.BestEpoch)
	}
	if _, err := ae.Train([][]float64{{1, 2}}, TrainConfig{}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("Train on 2-wide samples: error %v, want ErrInvalidInput", err)
	}
}

func TestClusterLossDecreases(t *testing.T) {
	samples, truth := blobs(240, 4, 12, 0.2, 5)
	for _, idec := range []bool{false, true} {
		t.Run(fmt.Sprintf("IDEC=%v", idec), func(t *testing.T) {
			ae := pretrained(t, samples)
			res, err := Cluster(ae, samples, Config{K: 4, IDEC: idec, BatchSize: 32,
				UpdateInterval: 5, MaxIter: 60, Tolerance: 1e-9, Seed: 2})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Intervals) < 2 {
				t.Fatalf("got %d target updates, want at least 2", len(res.Intervals))
			}
			for i, in := range res.Intervals {
				if in.KLEnd >= in.KLStart {
					t.Errorf("interval %d: KL went from %g to %g, want a decrease",
						i, in.KLStart, in.KLEnd)
				}
			}
			if nmi := quality.NMI(truth, res.Labels); nmi < 0.8 {
				t.Errorf("NMI = %.3f on overlapping blobs, want at least 0.8", nmi)
			}
		})
	}
}

func TestClusterStopsOnTolerance(t *testing.T) {
	samples, _ := blobs(200, 3, 8, 0.02, 6)
	ae := pretrained(t, samples)
	res, err := Cluster(ae, samples, Config{K: 3, BatchSize: 50, Tolerance: 0.01, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Converged {
		t.Errorf("Converged = false after %d iterations, want true", res.Iterations)
	}
	if _, err := Cluster(ae, samples, Config{K: 0}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("Cluster with K = 0: error %v, want ErrInvalidInput", err)
	}
}

func TestEncoderRoundTrip(t *testing.T) {
	ae, _ := NewAutoencoder([]int{5, 4, 2}, 1)
	var buf bytes.Buffer
	if err := SaveEncoder(&buf, ae.Encoder); err != nil {
		t.Fatal(err)
	}
	if want := 8 + 2*9 + 8*(5*4+4+4*2+2); buf.Len() != want {
		t.Errorf("encoded size %d bytes, want %d", buf.Len(), want)
	}
	net, err := LoadEncoder(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	in := [][]float64{{1, -2, 3, 0.5, 0}}
	want, _ := ae.Encoder.Predict(in)
	got, _ := net.Predict(in)
	for d := range want[0] {
		if got[0][d] != want[0][d] {
			t.Errorf("code[%d] = %g after reload, want %g", d, got[0][d], want[0][d])
		}
	}
}

func TestLoadEncoderMalformed(t *testing.T) {
	ae, _ := NewAutoencoder([]int{3, 2}, 1)
	var buf bytes.Buffer
	_ = SaveEncoder(&buf, ae.Encoder)
	good := buf.Bytes()
	edit := func(f func(b []byte) []byte) []byte {
		return f(append([]byte(nil), good...))
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"wrong magic", edit(func(b []byte) []byte { b[0] = 'X'; return b })},
		{"version 2", edit(func(b []byte) []byte { b[4] = 2; return b })},
		{"zero layers", edit(func(b []byte) []byte { b[6] = 0; return b })},
		{"two layers declared", edit(func(b []byte) []byte { b[6] = 2; return b })},
		{"zero width", edit(func(b []byte) []byte { clear(b[8:12]); return b })},
		{"huge layer", edit(func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[8:], 1<<16)
			binary.LittleEndian.PutUint32(b[12:], 1<<16)
			return b
		})},
		{"unknown activation", edit(func(b []byte) []byte { b[16] = 7; return b })},
		{"truncated", good[:len(good)-3]},
		{"trailing byte", append(append([]byte(nil), good...), 0)},
		{"NaN weight", edit(func(b []byte) []byte {
			binary.LittleEndian.PutUint64(b[17:], math.Float64bits(math.NaN()))
			return b
		})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := LoadEncoder(bytes.NewReader(tt.data)); !errors.Is(err, ErrFormat) {
				t.Errorf("LoadEncoder: error %v, want ErrFormat", err)
			}
		})
	}
}

func BenchmarkCluster(b *testing.B) {
	for _, n := range []int{200, 800} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			samples, _ := blobs(n, 4, 12, 0.08, 5)
			ae := pretrained(b, samples)
			for b.Loop() {
				_, _ = Cluster(ae, samples, Config{K: 4, BatchSize: 64, MaxIter: 50, Seed: 2})
			}
		})
	}
}

// BenchmarkTrainEpoch times one autoencoder epoch on MNIST-shaped samples
// (784 inputs) with a 784-256-128-10 encoder.
func BenchmarkTrainEpoch(b *testing.B) {
	for _, n := range []int{1024, 4096} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			samples, _ := blobs(n, 10, 784, 0.1, 7)
			ae, err := NewAutoencoder([]int{784, 256, 128, 10}, 1)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				_, _ = ae.Train(samples, TrainConfig{Epochs: 1, ValidationPart: 0.5,
					BatchSize: 256, Seed: 1})
			}
		})
	}
}

func TestClusterGivenCentroids(t *testing.T) {
	samples, truth := blobs(200, 3, 8, 0.02, 6)
	ae := pretrained(t, samples)
	codes, err := ae.Encode(samples)
	if err != nil {
		t.Fatal(err)
	}
	centroids := zeros(3, len(codes[0]))
	for i, c := range codes[:3] {
		copy(centroids[truth[i]], c)
	}
	before := centroids[0][0]
	res, err := Cluster(ae, samples, Config{K: 3, Centroids: centroids, MaxIter: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	mismatched := 0
	for i, l := range res.Labels {
		if l != truth[i] {
			mismatched++
		}
	}
	if mismatched > 0 {
		t.Errorf("%d samples not in the cluster of their blob's given centroid", mismatched)
	}
	if centroids[0][0] != before {
		t.Errorf("Cluster changed the caller's centroid from %g to %g", before, centroids[0][0])
	}

	tests := []struct {
		name      string
		centroids [][]float64
	}{
		{"too few", centroids[:2]},
		{"too narrow", [][]float64{{1}, {2}, {3}}},
	}
	for _, tt := range tests {
		if _, err := Cluster(ae, samples, Config{K: 3, Centroids: tt.centroids}); !errors.Is(
			err, ErrInvalidInput) {
			t.Errorf("%s: error %v, want ErrInvalidInput", tt.name, err)
		}
	}
}
