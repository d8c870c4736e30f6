package nn_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/edgecluster/edgecluster/edge/nn"
	"gonum.org/v1/gonum/mat"
)

func ExampleAdam() {
	rng := rand.New(rand.NewPCG(1, 2))
	net, _ := nn.NewMLP([]int{1, 1}, nn.Linear, rng)
	x := mat.NewDense(4, 1, []float64{0, 1, 2, 3})
	y := mat.NewDense(4, 1, []float64{1, 3, 5, 7}) // y = 2x + 1
	opt := &nn.Adam{LearningRate: 0.1}
	for range 2000 {
		out, _ := net.Forward(x)
		_, grad, _ := nn.MSE(out, y)
		net.ZeroGrad()
		net.Backward(grad)
		opt.Step(net.Params())
	}
	fmt.Printf("w = %.2f, b = %.2f\n", net.Layers[0].W.At(0, 0), net.Layers[0].B[0])
	// Output: w = 2.00, b = 1.00
}
