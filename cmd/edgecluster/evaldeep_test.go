package main

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/edgecluster/edgecluster/edge/eval"
)

// minReducedDECACC is the accuracy floor of DEC on the reduced MNIST run.
// k-means on the same pixels reaches about 0.55 there.
const minReducedDECACC = 0.70

// TestDECBeatsKMeansOnMNIST pretrains a small autoencoder on 3000 MNIST
// digits for a few epochs and checks that DEC on its codes scores above a
// fixed floor and above k-means on the raw pixels of the same run.
func TestDECBeatsKMeansOnMNIST(t *testing.T) {
	dir, err := mnistDir()
	if err != nil {
		t.Fatal(err)
	}
	ds, err := eval.LoadMNIST(dir, 3000)
	if err != nil {
		t.Fatal(err)
	}
	rows, _, err := eval.Evaluate(context.Background(), ds, eval.Options{
		Deep: &eval.DeepOptions{Epochs: 15, BatchSize: 64, MaxIter: 300,
			SkipIDEC: true},
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	acc := map[string]float64{}
	for _, r := range rows {
		acc[r.Method] = r.ACC
		t.Logf("%-26s ACC %.4f NMI %.4f ARI %.4f %.1f s", r.Method, r.ACC, r.NMI, r.ARI,
			r.Seconds)
	}
	if got := acc[eval.MethodDEC]; got < minReducedDECACC {
		t.Errorf("DEC ACC = %.4f, want at least %.2f", got, minReducedDECACC)
	}
	if got, base := acc[eval.MethodDEC], acc[eval.MethodBatch]; got <= base {
		t.Errorf("DEC ACC = %.4f, want above k-means on pixels %.4f", got, base)
	}
}

func TestEvalUnknownMethod(t *testing.T) {
	err := runEval(context.Background(), []string{"--methods", "kmeans,gmm",
		"--datasets", "digits", "--log-level", "error"})
	if err == nil || !strings.Contains(err.Error(), `unknown method "gmm"`) {
		t.Errorf("error = %v, want an unknown method error", err)
	}
}
