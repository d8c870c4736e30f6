package dec

import (
	"errors"
	"fmt"
	"math"
)

// MaxParams bounds the weights and biases of an autoencoder, encoder and
// decoder together. Training keeps four float64 values per parameter (the
// weight, its gradient and Adam's two moments), so the limit is about
// 256 MiB of training state.
const MaxParams = 1 << 23

// ErrTooLarge reports layer widths whose autoencoder exceeds MaxParams.
var ErrTooLarge = errors.New("dec: autoencoder too large")

// ErrDiverged reports training whose loss became NaN or infinite, as it
// does when the input values are too large to square.
var ErrDiverged = errors.New("dec: training diverged")

// checkParams returns an error naming the parameter count when the
// autoencoder with encoder widths dims would exceed MaxParams. It counts
// in float64 so that huge widths cannot overflow.
func checkParams(dims []int) error {
	var n float64
	for i := 1; i < len(dims); i++ {
		n += float64(dims[i-1])*float64(dims[i]) + float64(dims[i])
	}
	n = 2*n - float64(dims[len(dims)-1]) + float64(dims[0])
	if n <= MaxParams {
		return nil
	}
	return fmt.Errorf("%w: layer widths %v need %.0f parameters (about %.0f MiB to "+
		"train), at most %d; use smaller widths", ErrTooLarge, dims, n, n*32/(1<<20),
		MaxParams)
}

// checkLoss returns ErrDiverged when loss is not finite.
func checkLoss(what string, epoch int, loss float64) error {
	if !math.IsNaN(loss) && !math.IsInf(loss, 0) {
		return nil
	}
	return fmt.Errorf("%w: %s loss is %v at epoch %d; scale the input values down "+
		"(such as to [-1, 1]) or lower the learning rate", ErrDiverged, what, loss, epoch)
}
