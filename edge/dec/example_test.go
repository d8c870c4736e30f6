package dec_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/edgecluster/edgecluster/edge/dec"
	"github.com/edgecluster/edgecluster/edge/quality"
)

func ExampleCluster() {
	rng := rand.New(rand.NewPCG(1, 1))
	var samples [][]float64
	var truth []int
	for i := range 90 {
		c := float64(i % 3)
		samples = append(samples, []float64{c + 0.1*rng.NormFloat64(),
			-c + 0.1*rng.NormFloat64(), 0.1 * rng.NormFloat64(), c * c})
		truth = append(truth, i%3)
	}
	ae, _ := dec.NewAutoencoder([]int{4, 8, 2}, 1)
	_, _ = ae.Train(samples, dec.TrainConfig{Epochs: 100, BatchSize: 16, LearningRate: 1e-2})
	res, err := dec.Cluster(ae, samples, dec.Config{K: 3, BatchSize: 16, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("NMI %.2f\n", quality.NMI(truth, res.Labels))
	// Output: NMI 1.00
}
