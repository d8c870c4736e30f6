package nn

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func randomMatrix(rng *rand.Rand, r, c int) *mat.Dense {
	m := mat.NewDense(r, c, nil)
	for i := range r {
		for j := range c {
			m.Set(i, j, rng.NormFloat64())
		}
	}
	return m
}

func lossOf(t *testing.T, net *Network, x, target *mat.Dense) float64 {
	t.Helper()
	out, err := net.Forward(x)
	if err != nil {
		t.Fatal(err)
	}
	loss, _, err := MSE(out, target)
	if err != nil {
		t.Fatal(err)
	}
	return loss
}

// numericGrad returns the central finite difference of the loss along v[i].
func numericGrad(t *testing.T, net *Network, x, target *mat.Dense, v []float64, i int) float64 {
	const h = 1e-6
	old := v[i]
	v[i] = old + h
	up := lossOf(t, net, x, target)
	v[i] = old - h
	down := lossOf(t, net, x, target)
	v[i] = old
	return (up - down) / (2 * h)
}

func relErr(a, b float64) float64 {
	return math.Abs(a-b) / math.Max(1e-7, math.Abs(a)+math.Abs(b))
}

func TestGradientCheck(t *testing.T) {
	tests := []struct {
		name   string
		widths []int
		last   Activation
	}{
		{"one linear layer", []int{4, 3}, Linear},
		{"one relu layer", []int{4, 3}, ReLU},
		{"relu then linear", []int{5, 6, 2}, Linear},
		{"deep autoencoder shape", []int{6, 5, 2, 5, 6}, Linear},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, 1))
			net, err := NewMLP(tt.widths, tt.last, rng)
			if err != nil {
				t.Fatal(err)
			}
			x := randomMatrix(rng, 7, tt.widths[0])
			target := randomMatrix(rng, 7, tt.widths[len(tt.widths)-1])
			checkNetwork(t, net, x, target)
		})
	}
}

func checkNetwork(t *testing.T, net *Network, x, target *mat.Dense) {
	t.Helper()
	out, err := net.Forward(x)
	if err != nil {
		t.Fatal(err)
	}
	_, grad, _ := MSE(out, target)
	net.ZeroGrad()
	dx := net.Backward(grad)
	for k, p := range net.Params() {
		for i := range p.Value {
			want := numericGrad(t, net, x, target, p.Value, i)
			if e := relErr(p.Grad[i], want); e > 1e-5 {
				t.Errorf("param %d[%d]: gradient %g, finite difference %g", k, i, p.Grad[i], want)
			}
		}
	}
	raw := x.RawMatrix().Data
	for i := range raw {
		want := numericGrad(t, net, x, target, raw, i)
		if got := dx.RawMatrix().Data[i]; relErr(got, want) > 1e-5 {
			t.Errorf("input[%d]: gradient %g, finite difference %g", i, got, want)
		}
	}
}

func TestMSE(t *testing.T) {
	pred := mat.NewDense(2, 2, []float64{1, 2, 3, 4})
	target := mat.NewDense(2, 2, []float64{1, 0, 3, 2})
	loss, grad, err := MSE(pred, target)
	if err != nil {
		t.Fatal(err)
	}
	if want := 2.0; math.Abs(loss-want) > 1e-12 {
		t.Errorf("loss = %g, want %g", loss, want)
	}
	if got, want := grad.At(0, 1), 1.0; got != want {
		t.Errorf("grad[0][1] = %g, want %g", got, want)
	}
	if _, _, err := MSE(pred, mat.NewDense(1, 2, nil)); !errors.Is(err, ErrShape) {
		t.Errorf("MSE with mismatched shapes: error %v, want ErrShape", err)
	}
}

func TestForwardRejectsWidth(t *testing.T) {
	net, err := NewMLP([]int{3, 2}, Linear, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := net.Forward(mat.NewDense(1, 4, nil)); !errors.Is(err, ErrShape) {
		t.Errorf("Forward on 4 columns: error %v, want ErrShape", err)
	}
	if _, err := NewMLP([]int{3}, Linear, nil); !errors.Is(err, ErrShape) {
		t.Errorf("NewMLP with one width: error %v, want ErrShape", err)
	}
}

func TestBatches(t *testing.T) {
	tests := []struct {
		n, size   int
		wantCount int
		wantLast  int
	}{
		{10, 3, 4, 1},
		{9, 3, 3, 3},
		{2, 5, 1, 2},
		{0, 4, 0, 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d by %d", tt.n, tt.size), func(t *testing.T) {
			got := Batches(tt.n, tt.size, rand.New(rand.NewPCG(3, 3)))
			if len(got) != tt.wantCount {
				t.Fatalf("got %d batches, want %d", len(got), tt.wantCount)
			}
			seen := map[int]bool{}
			for _, b := range got {
				for _, i := range b {
					seen[i] = true
				}
			}
			if len(seen) != tt.n {
				t.Errorf("batches cover %d distinct indices, want %d", len(seen), tt.n)
			}
			if tt.n > 0 && len(got[len(got)-1]) != tt.wantLast {
				t.Errorf("last batch has %d indices, want %d", len(got[len(got)-1]), tt.wantLast)
			}
		})
	}
}

func TestAdamFitsLinearMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	net, _ := NewMLP([]int{3, 1}, Linear, rng)
	x := randomMatrix(rng, 64, 3)
	target := mat.NewDense(64, 1, nil)
	for i := range 64 {
		target.Set(i, 0, 2*x.At(i, 0)-x.At(i, 1)+0.5*x.At(i, 2)+1)
	}
	first := lossOf(t, net, x, target)
	opt := &Adam{LearningRate: 0.05}
	for range 500 {
		out, _ := net.Forward(x)
		_, grad, _ := MSE(out, target)
		net.ZeroGrad()
		net.Backward(grad)
		opt.Step(net.Params())
	}
	if last := lossOf(t, net, x, target); last > 1e-4*first {
		t.Errorf("loss after Adam = %g, want below 1e-4 of the initial %g", last, first)
	}
}

func BenchmarkForwardBackward(b *testing.B) {
	for _, n := range []int{32, 256} {
		b.Run(fmt.Sprintf("batch=%d", n), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			net, _ := NewMLP([]int{784, 128, 32, 128, 784}, Linear, rng)
			x := randomMatrix(rng, n, 784)
			for b.Loop() {
				out, _ := net.Forward(x)
				_, grad, _ := MSE(out, x)
				net.ZeroGrad()
				net.Backward(grad)
			}
		})
	}
}
