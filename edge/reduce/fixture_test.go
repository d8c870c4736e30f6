package reduce

import (
	"encoding/csv"
	"os"
	"strconv"
	"testing"
)

// digitsPath is scikit-learn's digits data set (1797 images of 8x8 pixels
// with values 0 to 16), one "label,p0,...,p63" row per image.
const digitsPath = "../eval/testdata/digits.csv"

func loadDigits(t testing.TB) (x [][]float64, labels []int) {
	t.Helper()
	f, err := os.Open(digitsPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows[1:] {
		label, err := strconv.Atoi(row[0])
		if err != nil {
			t.Fatal(err)
		}
		vec := make([]float64, len(row)-1)
		for j, field := range row[1:] {
			if vec[j], err = strconv.ParseFloat(field, 64); err != nil {
				t.Fatal(err)
			}
		}
		x, labels = append(x, vec), append(labels, label)
	}
	return x, labels
}
