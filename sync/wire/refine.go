package wire

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// CmdRefineCentroids is the command that makes a device replace the
// centroids of some of its clusters with refined ones, such as the output
// of a DEC run at the hub. Its payload is far larger than those of other
// commands, so it has its own bound, MaxPayloadBytes.
const CmdRefineCentroids = "refine_centroids"

// MaxSpaceLen bounds the cluster space name of a summary or refinement.
const MaxSpaceLen = 256

// Refinement holds the arguments of CmdRefineCentroids. Epoch, Space,
// Model and Reduction name the cluster space of the centroids as the
// summary they were refined from gave it, and a device rejects a
// refinement whose space differs from its current one.
type Refinement struct {
	// ID names the refinement in the device's log and reply.
	ID string `json:"refinement"`

	Epoch     string     `json:"epoch"`
	Space     string     `json:"space"`
	Model     Model      `json:"model"`
	Reduction *Reduction `json:"reduction,omitempty"`

	// Summary is the sequence number of the summary whose centroids the
	// refinement started from.
	Summary uint64 `json:"summary"`

	// Embedded is the embedded frame count of that summary. A device that
	// counts fewer frames in its space has been reset since, so it rejects
	// the refinement as stale.
	Embedded uint64 `json:"embedded"`

	Clusters []RefinedCluster `json:"clusters"`
}

// RefinedCluster is the new centroid of one cluster.
type RefinedCluster struct {
	ID       int    `json:"id"`
	Centroid Vector `json:"centroid"`

	// Base is the centroid the refinement started from, as the summary gave
	// it. A device adds Centroid − Base to its current centroid, so the
	// frames it observed since that summary keep their effect. Without
	// Base, the device replaces its centroid with Centroid.
	Base Vector `json:"base,omitempty"`
}

// refineJSON is the payload of CmdRefineCentroids.
type refineJSON struct {
	V  *int   `json:"v"`
	ID string `json:"id"`
	Refinement
}

// EncodeRefine returns the payload of a CmdRefineCentroids command with
// command id id. It checks r as ParseCommand does.
func EncodeRefine(id string, r Refinement) ([]byte, error) {
	if !validID(id) {
		return nil, fmt.Errorf("%w: \"id\" %q must be 1-%d printable characters",
			ErrMalformed, id, MaxIDLen)
	}
	if err := checkRefinement(r); err != nil {
		return nil, err
	}
	v := Version
	data, err := json.Marshal(refineJSON{V: &v, ID: id, Refinement: r})
	if err != nil {
		return nil, err
	}
	if len(data) > MaxPayloadBytes {
		return nil, fmt.Errorf("%w: refinement of %d clusters takes %d bytes, limit %d; "+
			"refine fewer clusters", ErrMalformed, len(r.Clusters), len(data), MaxPayloadBytes)
	}
	return data, nil
}

// parseRefine decodes and checks the payload of CmdRefineCentroids.
func parseRefine(payload []byte) (Command, error) {
	cmd := Command{Name: CmdRefineCentroids}
	if len(payload) > MaxPayloadBytes {
		return cmd, fmt.Errorf("%w: %d bytes, limit %d", ErrMalformed, len(payload),
			MaxPayloadBytes)
	}
	var raw refineJSON
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	err := dec.Decode(&raw)
	if validID(raw.ID) {
		cmd.ID = raw.ID
	}
	switch {
	case err != nil:
		return cmd, fmt.Errorf("%w: %v", ErrMalformed, err)
	case dec.More():
		return cmd, fmt.Errorf("%w: data after the JSON object", ErrMalformed)
	case raw.V == nil:
		return cmd, fmt.Errorf("%w: missing schema version \"v\"", ErrMalformed)
	case *raw.V != Version:
		return cmd, fmt.Errorf("%w: v=%d, this build reads v=%d", ErrUnsupportedVersion,
			*raw.V, Version)
	case !validID(raw.ID):
		return cmd, fmt.Errorf("%w: \"id\" %q must be 1-%d printable characters",
			ErrMalformed, raw.ID, MaxIDLen)
	}
	if err := checkRefinement(raw.Refinement); err != nil {
		return cmd, err
	}
	r := raw.Refinement
	cmd.Refine = &r
	return cmd, nil
}

// checkRefinement rejects a refinement that no hub can make.
func checkRefinement(r Refinement) error {
	if !validID(r.ID) {
		return fmt.Errorf("%w: \"refinement\" %q must be 1-%d printable characters",
			ErrMalformed, r.ID, MaxIDLen)
	}
	if err := checkSpace(r); err != nil {
		return err
	}
	if len(r.Clusters) == 0 || len(r.Clusters) > MaxClusters {
		return fmt.Errorf("%w: refinement has %d clusters, want 1 to %d", ErrMalformed,
			len(r.Clusters), MaxClusters)
	}
	dims := centroidDims(Summary{Model: r.Model, Reduction: r.Reduction})
	seen := make(map[int]bool, len(r.Clusters))
	for _, c := range r.Clusters {
		if err := checkRefinedCluster(c, dims, seen); err != nil {
			return err
		}
	}
	return nil
}

// checkSpace rejects a refinement whose cluster space is incomplete.
func checkSpace(r Refinement) error {
	if r.Space == "" || len(r.Space) > MaxSpaceLen || !printable(r.Space) {
		return fmt.Errorf("%w: \"space\" %q must be 1-%d printable characters", ErrMalformed,
			r.Space, MaxSpaceLen)
	}
	if raw, err := hex.DecodeString(r.Model.SHA256); err != nil || len(raw) != 32 {
		return fmt.Errorf("%w: refinement model sha256 %q is not a hex SHA-256",
			ErrMalformed, r.Model.SHA256)
	}
	if r.Model.Dims < 1 || r.Model.Dims > MaxDims {
		return fmt.Errorf("%w: refinement model dims %d, want 1 to %d", ErrMalformed,
			r.Model.Dims, MaxDims)
	}
	return checkReduction(Summary{Model: r.Model, Reduction: r.Reduction})
}

func checkRefinedCluster(c RefinedCluster, dims int, seen map[int]bool) error {
	if err := checkClusterID(c.ID, "refined cluster"); err != nil {
		return err
	}
	if seen[c.ID] {
		return fmt.Errorf("%w: refinement lists cluster %d twice", ErrMalformed, c.ID)
	}
	seen[c.ID] = true
	if len(c.Centroid) != dims {
		return fmt.Errorf("%w: refined cluster %d centroid has %d values, want %d",
			ErrMalformed, c.ID, len(c.Centroid), dims)
	}
	if c.Base != nil && len(c.Base) != dims {
		return fmt.Errorf("%w: refined cluster %d base has %d values, want %d or none",
			ErrMalformed, c.ID, len(c.Base), dims)
	}
	if err := checkFinite(c.Base, fmt.Sprintf("refined cluster %d base", c.ID)); err != nil {
		return err
	}
	return checkFinite(c.Centroid, fmt.Sprintf("refined cluster %d centroid", c.ID))
}
