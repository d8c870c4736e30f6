package reduce

import "testing"

// loadDigits64 returns the digits rows of loadDigits as float64.
func loadDigits64(t testing.TB) [][]float64 {
	t.Helper()
	rows := loadDigits(t)
	x := make([][]float64, len(rows))
	for i, row := range rows {
		x[i] = make([]float64, len(row))
		for j, v := range row {
			x[i][j] = float64(v)
		}
	}
	return x
}
