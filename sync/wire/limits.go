package wire

import (
	"fmt"
	"math"
)

// Device states in a Status.
const (
	StateOnline  = "online"
	StateOffline = "offline"
)

// Bounds that a well-formed payload stays within.
const (
	// MaxPayloadBytes bounds one message. A summary of 1024 clusters of
	// 1280-d centroids is about 3.6 MB.
	MaxPayloadBytes = 8 << 20

	// MaxClusters bounds the clusters of one summary, the largest cluster.k
	// a device accepts.
	MaxClusters = 1024
)

// checkSummary rejects summaries that no device can produce.
func checkSummary(s Summary) error {
	if len(s.Clusters) > MaxClusters {
		return fmt.Errorf("%w: %d clusters, at most %d", ErrMalformed, len(s.Clusters), MaxClusters)
	}
	f := s.Frames
	if f.Embedded+f.Gated+f.Corrupt > f.Seen {
		return fmt.Errorf("%w: frames embedded %d + gated %d + corrupt %d exceed seen %d",
			ErrMalformed, f.Embedded, f.Gated, f.Corrupt, f.Seen)
	}
	if err := checkScores("summary", s.Quality.Silhouette, s.Quality.DaviesBouldin); err != nil {
		return err
	}
	if err := checkReduction(s); err != nil {
		return err
	}
	for _, c := range s.Clusters {
		if len(c.Centroid) != 0 && len(c.Centroid) != centroidDims(s) {
			return fmt.Errorf("%w: cluster %d centroid has %d values, want %d",
				ErrMalformed, c.ID, len(c.Centroid), centroidDims(s))
		}
		if err := checkScores(fmt.Sprintf("cluster %d", c.ID), c.Silhouette,
			c.DaviesBouldin); err != nil {
			return err
		}
		if err := checkHourly(c.ID, c.Hourly); err != nil {
			return err
		}
	}
	return nil
}

// checkScores rejects a silhouette outside [-1, 1] and a negative or
// non-finite Davies-Bouldin index.
func checkScores(where string, silhouette, daviesBouldin *float64) error {
	if s := silhouette; s != nil && !(*s >= -1 && *s <= 1) {
		return fmt.Errorf("%w: %s silhouette %g outside [-1, 1]", ErrMalformed, where, *s)
	}
	if d := daviesBouldin; d != nil && !(*d >= 0 && !math.IsInf(*d, 0)) {
		return fmt.Errorf("%w: %s Davies-Bouldin %g is not a finite value >= 0",
			ErrMalformed, where, *d)
	}
	return nil
}
