package eval

import (
	"fmt"
	"io"
	"math"
)

// Targets of the evaluation.
const (
	// MaxInertiaRatio is the largest streaming inertia allowed, as a
	// multiple of the batch KMeans inertia on the same data.
	MaxInertiaRatio = 1.02

	// MinSceneNMI is the smallest NMI allowed on a time-ordered clip.
	MinSceneNMI = 0.9

	// PeerMiniBatch is the method name of scikit-learn's MiniBatchKMeans,
	// which the streaming model must match on every score.
	PeerMiniBatch = "sklearn MiniBatchKMeans"
)

// scoreTolerance is the relative difference below which two scores count
// as equal.
const scoreTolerance = 1e-9

// Goal is one checked target.
type Goal struct {
	Dataset string
	Name    string
	Met     bool
	Detail  string
}

// CheckGoals checks the targets on rows from Evaluate: the streaming
// inertia against MaxInertiaRatio, the NMI of ordered data sets against
// MinSceneNMI, and every score of the streaming model against
// PeerMiniBatch when that peer ran. Each check compares the mean scores
// over the runs. ordered names the time-ordered data sets.
func CheckGoals(rows []Row, ordered map[string]bool) []Goal {
	var goals []Goal
	for _, name := range datasetNames(rows) {
		stream, okStream := find(rows, name, MethodStreaming)
		batch, okBatch := find(rows, name, MethodBatch)
		if !okStream || !okBatch {
			continue
		}

		ratio := stream.Inertia / batch.Inertia
		goals = append(goals, Goal{name, fmt.Sprintf("streaming J <= %.2f x batch J",
			MaxInertiaRatio), ratio <= MaxInertiaRatio, fmt.Sprintf("%.4f", ratio)})
		if ordered[name] {
			goals = append(goals, Goal{name, fmt.Sprintf("streaming NMI >= %.2f", MinSceneNMI),
				stream.NMI >= MinSceneNMI, fmt.Sprintf("%.4f", stream.NMI)})
		}
		if peer, ok := find(rows, name, PeerMiniBatch); ok {
			goals = append(goals, versusPeer(name, stream, peer)...)
		}
	}
	return goals
}

func versusPeer(name string, stream, peer Row) []Goal {
	type score struct {
		label          string
		ours, theirs   float64
		sdOurs, sdPeer float64
		higherIsBetter bool
	}
	scores := []score{
		{"ACC", stream.ACC, peer.ACC, stream.SD.ACC, peer.SD.ACC, true},
		{"NMI", stream.NMI, peer.NMI, stream.SD.NMI, peer.SD.NMI, true},
		{"ARI", stream.ARI, peer.ARI, stream.SD.ARI, peer.SD.ARI, true},
		{"silhouette", stream.Silhouette, peer.Silhouette, stream.SD.Silhouette,
			peer.SD.Silhouette, true},
		{"DB", stream.DaviesBouldin, peer.DaviesBouldin, stream.SD.DaviesBouldin,
			peer.SD.DaviesBouldin, false},
		{"inertia", stream.Inertia, peer.Inertia, stream.SD.Inertia, peer.SD.Inertia, false},
	}
	var goals []Goal
	for _, s := range scores {
		// Equal partitions can score a few ulps apart, because the sums run
		// over clusters in label order.
		slack := scoreTolerance * max(1, math.Abs(s.theirs))
		met := s.ours >= s.theirs-slack
		if !s.higherIsBetter {
			met = s.ours <= s.theirs+slack
		}
		detail := fmt.Sprintf("%.4f vs %.4f", s.ours, s.theirs)
		if se, ok := diffStdErr(s.sdOurs, stream.Runs, s.sdPeer, peer.Runs); ok {
			detail += fmt.Sprintf(", difference %+.4f, standard error %.4f",
				s.ours-s.theirs, se)
		}
		relation := ">="
		if !s.higherIsBetter {
			relation = "<="
		}
		goals = append(goals, Goal{name, fmt.Sprintf("streaming %s mean %s MiniBatchKMeans'",
			s.label, relation), met, detail})
	}
	return goals
}

// diffStdErr returns the standard error of the difference between two means
// of independent runs with sample standard deviations sdA and sdB, and
// false when either mean comes from fewer than two runs.
func diffStdErr(sdA float64, runsA int, sdB float64, runsB int) (float64, bool) {
	if runsA < 2 || runsB < 2 {
		return 0, false
	}
	return math.Sqrt(sdA*sdA/float64(runsA) + sdB*sdB/float64(runsB)), true
}

func datasetNames(rows []Row) []string {
	var names []string
	seen := map[string]bool{}
	for _, r := range rows {
		if !seen[r.Dataset] {
			seen[r.Dataset] = true
			names = append(names, r.Dataset)
		}
	}
	return names
}

func find(rows []Row, dataset, method string) (Row, bool) {
	for _, r := range rows {
		if r.Dataset == dataset && r.Method == method {
			return r, true
		}
	}
	return Row{}, false
}

// WriteGoals writes one Markdown list item per goal.
func WriteGoals(w io.Writer, goals []Goal) error {
	for _, g := range goals {
		status := "met"
		if !g.Met {
			status = "MISSED"
		}
		if _, err := fmt.Fprintf(w, "- %s: %s: %s (%s)\n", g.Dataset, g.Name, status,
			g.Detail); err != nil {
			return err
		}
	}
	return nil
}
