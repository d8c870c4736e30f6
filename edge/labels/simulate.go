package labels

import "math/rand/v2"

// Strategy picks which point a simulated person labels next.
type Strategy int

// Strategies for Simulate.
const (
	// Active labels the head of Queue.
	Active Strategy = iota

	// Random labels a uniformly random unlabelled point.
	Random
)

// String returns "active" or "random".
func (s Strategy) String() string {
	if s == Active {
		return "active"
	}
	return "random"
}

// Step is the state after one simulated answer.
type Step struct {
	// Labelled is the number of labels given so far.
	Labelled int

	// Accuracy is the share of all points whose suggested label equals
	// the true one.
	Accuracy float64
}

// Simulate plays a person who answers budget questions with the true
// labels truth, choosing points by strategy, and spreads the labels after
// every answer. rng is used by Random only.
func Simulate(g *Graph, truth []string, strategy Strategy, budget int, opts Options,
	rng *rand.Rand) []Step {
	known := make([]string, len(truth))
	order := rng.Perm(len(truth))
	var sug []Suggestion
	if strategy == Active {
		sug = make([]Suggestion, len(truth)) // nothing reached: densest first
	}
	steps := make([]Step, 0, budget)
	for n := 1; n <= budget && n <= len(truth); n++ {
		next := order[n-1]
		if strategy == Active {
			next = Queue(g, known, sug, 1)[0].Index
		}
		known[next] = truth[next]
		sug = Spread(g, known, opts)
		steps = append(steps, Step{Labelled: n, Accuracy: Accuracy(sug, truth)})
	}
	return steps
}

// Accuracy returns the share of points whose suggested label is truth's.
func Accuracy(sug []Suggestion, truth []string) float64 {
	if len(truth) == 0 {
		return 0
	}
	right := 0
	for i, s := range sug {
		if s.Label == truth[i] {
			right++
		}
	}
	return float64(right) / float64(len(truth))
}
