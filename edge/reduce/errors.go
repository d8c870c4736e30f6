package reduce

import (
	"errors"
	"fmt"
	"math"
)

// maxMagnitude bounds input values so that squared distances and sums of
// squares stay finite in float64.
const maxMagnitude = 1e150

var (
	// ErrInvalidInput reports malformed input: no rows, rows of different
	// lengths, or a NaN or infinite value.
	ErrInvalidInput = errors.New("reduce: invalid input")

	// ErrUnsupported reports well-formed input that this package does not
	// handle, such as an output dimension other than 2 or 3 for t-SNE or
	// a value beyond ±1e150.
	ErrUnsupported = errors.New("reduce: unsupported")
)

// checkRows returns the row length of x, or an error naming the first row
// that is empty, ragged, or holds a NaN, infinite or too large value.
func checkRows(x [][]float64) (int, error) {
	if len(x) == 0 {
		return 0, fmt.Errorf("%w: no rows", ErrInvalidInput)
	}
	dims := len(x[0])
	if dims == 0 {
		return 0, fmt.Errorf("%w: row 0 is empty", ErrInvalidInput)
	}
	for i, row := range x {
		if len(row) != dims {
			return 0, fmt.Errorf("%w: row %d has %d values, row 0 has %d",
				ErrInvalidInput, i, len(row), dims)
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, fmt.Errorf("%w: row %d column %d is %v; drop or impute the row",
					ErrInvalidInput, i, j, v)
			}
			if math.Abs(v) > maxMagnitude {
				return 0, fmt.Errorf("%w: row %d column %d is %g, beyond ±%g; rescale the data",
					ErrUnsupported, i, j, v, maxMagnitude)
			}
		}
	}
	return dims, nil
}
