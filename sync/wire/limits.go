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

	// MaxClusterExemplars bounds the exemplar frame numbers listed for one
	// cluster of a summary: the largest exemplar per_cluster a device
	// accepts.
	MaxClusterExemplars = 256

	// MaxClusterID bounds a cluster id: devices number clusters with
	// uint32 values.
	MaxClusterID = math.MaxUint32
)

// checkSummary rejects summaries that no device can produce.
func checkSummary(s Summary) error {
	if len(s.Clusters) > MaxClusters {
		return fmt.Errorf("%w: %d clusters, at most %d", ErrMalformed, len(s.Clusters), MaxClusters)
	}
	if len(s.Space) > MaxSpaceLen || !printable(s.Space) {
		return fmt.Errorf("%w: space %q must be at most %d printable characters", ErrMalformed,
			s.Space, MaxSpaceLen)
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
		if err := checkCluster(c, centroidDims(s)); err != nil {
			return err
		}
	}
	return nil
}

// checkCluster rejects a cluster of a summary that no device can produce.
func checkCluster(c Cluster, dims int) error {
	if err := checkClusterID(c.ID, "summary cluster"); err != nil {
		return err
	}
	if len(c.Exemplars) > MaxClusterExemplars {
		return fmt.Errorf("%w: cluster %d lists %d exemplars, at most %d", ErrMalformed, c.ID,
			len(c.Exemplars), MaxClusterExemplars)
	}
	if len(c.Centroid) != 0 && len(c.Centroid) != dims {
		return fmt.Errorf("%w: cluster %d centroid has %d values, want %d",
			ErrMalformed, c.ID, len(c.Centroid), dims)
	}
	if err := checkFinite(c.Centroid, fmt.Sprintf("cluster %d centroid", c.ID)); err != nil {
		return err
	}
	if err := checkScores(fmt.Sprintf("cluster %d", c.ID), c.Silhouette,
		c.DaviesBouldin); err != nil {
		return err
	}
	return checkHourly(c.ID, c.Hourly)
}

// checkClusterID rejects a negative cluster id or one above MaxClusterID.
// The comparison is in uint64 so that it builds where int has 32 bits.
func checkClusterID(id int, what string) error {
	if id < 0 || uint64(id) > MaxClusterID {
		return fmt.Errorf("%w: %s id %d outside [0, %d]", ErrMalformed, what, id,
			uint64(MaxClusterID))
	}
	return nil
}

// checkFinite rejects a vector holding NaN or an infinity, which no
// embedding model produces and which would make every distance to it NaN.
func checkFinite(v Vector, what string) error {
	for i, x := range v {
		f := float64(x)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("%w: %s value %d is %g, want a finite number", ErrMalformed,
				what, i, f)
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
