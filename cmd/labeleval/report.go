package main

import (
	"fmt"
	"io"

	"github.com/edgecluster/edgecluster/edge/labels"
)

// goal is the accuracy the report counts labels to reach.
const goal = 0.90

// report prints accuracy at a few label counts for both strategies and the
// number of labels each needed to reach goal.
func report(w io.Writer, curves map[labels.Strategy][]labels.Step, n int) {
	active, random := curves[labels.Active], curves[labels.Random]
	fmt.Fprintf(w, "| labels | %% of %d | active | random |\n|---:|---:|---:|---:|\n", n)
	for _, at := range []int{10, 20, 30, 50, 70, 100, 150, 200, 300, 400} {
		if at > len(active) || at > len(random) {
			break
		}
		fmt.Fprintf(w, "| %d | %.1f | %.1f %% | %.1f %% |\n", at, 100*float64(at)/float64(n),
			100*active[at-1].Accuracy, 100*random[at-1].Accuracy)
	}
	fmt.Fprintf(w, "\nlabels to reach %.0f %%: active %s, random %s\n", 100*goal,
		firstReach(active), firstReach(random))
}

func firstReach(steps []labels.Step) string {
	for _, s := range steps {
		if s.Accuracy >= goal {
			return fmt.Sprint(s.Labelled)
		}
	}
	return fmt.Sprintf("more than %d", len(steps))
}
