package reduce_test

import (
	"context"
	"fmt"

	"github.com/edgecluster/edgecluster/edge/reduce"
)

func ExamplePCA() {
	x := [][]float64{{0, 0}, {2, 0}, {4, 0}, {0, 1}, {2, 1}, {4, 1}}
	model, proj, err := reduce.PCA(x, 1)
	if err != nil {
		panic(err)
	}
	fmt.Printf("axis %.2f, explained %.3f\n", model.Components[0],
		model.ExplainedVarianceRatio[0])
	fmt.Printf("first row at %.2f\n", proj[0][0])
	// Output:
	// axis [1.00 0.00], explained 0.914
	// first row at -2.00
}

func ExampleTSNE() {
	// Two tight groups of ten points, far apart in 5-D.
	var x [][]float64
	for i := 0; i < 20; i++ {
		offset := float64(i%2) * 10
		x = append(x, []float64{offset + float64(i)*0.01, offset, offset, 0, 1})
	}
	y, err := reduce.TSNE(context.Background(), x, reduce.TSNEOptions{Perplexity: 3, Seed: 1})
	if err != nil {
		panic(err)
	}
	near, far := dist(y[0], y[2]), dist(y[0], y[1])
	fmt.Println(len(y), len(y[0]), near < far)
	// Output: 20 2 true
}

func dist(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += (a[i] - b[i]) * (a[i] - b[i])
	}
	return s
}
