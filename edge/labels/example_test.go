package labels_test

import (
	"fmt"

	"github.com/edgecluster/edgecluster/edge/labels"
)

func ExampleSpread() {
	vectors := [][]float32{{0, 0}, {0.1, 0}, {0, 0.1}, {5, 5}, {5.1, 5}, {5, 5.1}}
	known := []string{"door", "", "", "hall", "", ""}
	g := labels.NewGraph(vectors, 2)
	for i, s := range labels.Spread(g, known, labels.Options{}) {
		fmt.Println(i, s.Label)
	}
	// Output:
	// 0 door
	// 1 door
	// 2 door
	// 3 hall
	// 4 hall
	// 5 hall
}
