package reduce

import (
	"bytes"
	"context"
	"errors"
	"math"
	"runtime"
	"testing"
	"time"
)

// Quality bounds for t-SNE on the digits data set against scikit-learn
// 1.2's Barnes-Hut TSNE with the same perplexity, theta and schedule.
const (
	// maxKLRatio bounds our KL divergence over scikit-learn's, both
	// scored by KLDivergence on the same P.
	maxKLRatio = 1.05

	// minTrustworthiness bounds the trustworthiness with 5 neighbours.
	minTrustworthiness = 0.98
)

// TestTSNEMatchesSklearn compares with scikit-learn on the first 600
// digits, which keeps the peer's run short; scripts/bench/tsne.sh compares
// on larger sets. It runs on amd64 only, because the embedding's quality
// does not depend on the architecture and under qemu-user the run takes
// several minutes. The other tests cover each architecture's numerics.
func TestTSNEMatchesSklearn(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("compares with scikit-learn on amd64 only")
	}
	x := loadDigits64(t)
	x = x[:600]
	ours, seconds := timedTSNE(t, x)
	peer := runPeer(t, x, "tsne", "--seed", "0")

	ourKL, peerKL := scoreKL(t, x, ours), scoreKL(t, x, peer.Embedding)
	ourTrust, peerTrust := scoreTrust(t, x, ours), scoreTrust(t, x, peer.Embedding)
	t.Logf("ours: KL %.4f, trustworthiness %.4f, %.1f s", ourKL, ourTrust, seconds)
	t.Logf("scikit-learn %s: KL %.4f (own %.4f), trustworthiness %.4f, %.1f s",
		peer.SklearnVersion, peerKL, peer.KLDivergence, peerTrust, peer.Seconds)

	if ourKL > maxKLRatio*peerKL {
		t.Errorf("KL = %.4f, want <= %.2f x scikit-learn's %.4f", ourKL, maxKLRatio, peerKL)
	}
	if ourTrust < minTrustworthiness {
		t.Errorf("trustworthiness = %.4f, want >= %.2f", ourTrust, minTrustworthiness)
	}
}

// timedTSNE embeds x with the default options and returns the embedding
// and the seconds it took.
func timedTSNE(t *testing.T, x [][]float64) ([][]float64, float64) {
	t.Helper()
	start := time.Now()
	y, err := TSNE(context.Background(), x, TSNEOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return y, time.Since(start).Seconds()
}

func scoreKL(t *testing.T, x, y [][]float64) float64 {
	t.Helper()
	kl, err := KLDivergence(x, y, TSNEOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return kl
}

func scoreTrust(t *testing.T, x, y [][]float64) float64 {
	t.Helper()
	tw, err := Trustworthiness(x, y, 5)
	if err != nil {
		t.Fatal(err)
	}
	return tw
}

func TestTSNEReproducible(t *testing.T) {
	x := loadDigits64(t)
	x = x[:200]
	for _, init := range []Init{InitRandom, InitPCA} {
		opts := TSNEOptions{Iterations: 200, Seed: 42, Init: init, Workers: 1}
		first, err := TSNE(context.Background(), x, opts)
		if err != nil {
			t.Fatal(err)
		}
		opts.Workers = 2
		second, err := TSNE(context.Background(), x, opts)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(float64Bytes(first), float64Bytes(second)) {
			t.Errorf("init %d: two runs with seed 42 differ", init)
		}

		opts.Seed = 43
		third, err := TSNE(context.Background(), x, opts)
		if err != nil {
			t.Fatal(err)
		}
		if init == InitRandom && bytes.Equal(float64Bytes(first), float64Bytes(third)) {
			t.Error("seeds 42 and 43 give the same random start")
		}
	}
}

func TestTSNEThreeDimensions(t *testing.T) {
	x := loadDigits64(t)
	x = x[:300]
	y, err := TSNE(context.Background(), x, TSNEOptions{Dims: 3, Iterations: 400})
	if err != nil {
		t.Fatal(err)
	}
	if len(y[0]) != 3 {
		t.Fatalf("row width = %d, want 3", len(y[0]))
	}
	if tw := scoreTrust(t, x, y); tw < minTrustworthiness {
		t.Errorf("3-D trustworthiness = %.4f, want >= %.2f", tw, minTrustworthiness)
	}
}

func TestTSNECancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	opts := TSNEOptions{Iterations: 500, Progress: func(int, float64) {
		calls++
		cancel()
	}}
	_, err := TSNE(ctx, randomRows(100, 5, 1), opts)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
	if calls != 1 {
		t.Errorf("progress called %d times after cancel, want 1", calls)
	}
}

func TestTSNEProgress(t *testing.T) {
	var iterations []int
	var kls []float64
	opts := TSNEOptions{Iterations: 120, Progress: func(it int, kl float64) {
		iterations = append(iterations, it)
		kls = append(kls, kl)
	}}
	if _, err := TSNE(context.Background(), randomRows(100, 5, 1), opts); err != nil {
		t.Fatal(err)
	}
	want := []int{50, 100, 120}
	if len(iterations) != len(want) {
		t.Fatalf("progress iterations = %v, want %v", iterations, want)
	}
	for i, it := range iterations {
		if it != want[i] {
			t.Errorf("call %d iteration = %d, want %d", i, it, want[i])
		}
		if !(kls[i] > 0) || math.IsInf(kls[i], 0) {
			t.Errorf("call %d KL = %v, want a positive finite value", i, kls[i])
		}
	}
}
