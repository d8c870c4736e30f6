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

func ExampleAccuracy() {
	truth := []int{0, 0, 0, 1, 1, 1}
	pred := []int{5, 5, 9, 9, 9, 9}
	fmt.Printf("ACC %.3f, ARI %.3f\n", quality.Accuracy(truth, pred), quality.ARI(truth, pred))
	// Output: ACC 0.833, ARI 0.324
}

func ExampleSampledSilhouette() {
	var points [][]float32
	var labels []int
	for i := range 200 {
		points = append(points, []float32{float32(i % 10), float32(i%2) * 50})
		labels = append(labels, i%2)
	}

	e, err := quality.SampledSilhouette(points, labels, 50, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	exact, err := quality.Silhouette(points, labels)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d of %d points, 95%% interval contains the exact %.3f: %v\n",
		e.Sample, e.Points, exact.Overall, e.Low <= exact.Overall && exact.Overall <= e.High)
	// Output: 50 of 200 points, 95% interval contains the exact 0.936: true
}
