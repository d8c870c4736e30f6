package quality_test

import (
	"fmt"

	"github.com/edgecluster/edgecluster/edge/quality"
)

func ExampleSilhouette() {
	points := [][]float32{{0, 0}, {0, 1}, {10, 0}, {10, 1}}
	labels := []int{0, 0, 1, 1}

	scores, err := quality.Silhouette(points, labels)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("overall %.3f, cluster 0 %.3f\n", scores.Overall, scores.PerCluster[0])
	// Output: overall 0.900, cluster 0 0.900
}

func ExampleNMI() {
	truth := []int{0, 0, 1, 1}
	pred := []int{7, 7, 3, 3}
	fmt.Printf("%.6f\n", quality.NMI(truth, pred))
	// Output: 1.000000
}

func ExampleWindow() {
	w := quality.NewWindow(2)
	w.Add([]float32{1})
	w.Add([]float32{2})
	w.Add([]float32{3})
	fmt.Println(w.Len(), w.Points())
	// Output: 2 [[2] [3]]
}
