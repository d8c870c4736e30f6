package daemon

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/edgecluster/edgecluster/edge/cluster"
	"github.com/edgecluster/edgecluster/edge/embed"
	"github.com/edgecluster/edgecluster/edge/store"
	"github.com/edgecluster/edgecluster/internal/fileutil"
	"github.com/edgecluster/edgecluster/models"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// countersKey is the store meta key of the frame counters of a cluster space.
func countersKey(space string) string { return "counters/" + space }

// loadEmbedders returns one embedder per worker, sharing the parsed model.
func loadEmbedders(cfg Config) ([]*embed.Embedder, error) {
	data, opts, err := ModelBytes(cfg.Model)
	if err != nil {
		return nil, err
	}
	first, err := embed.New(data, opts)
	if err != nil {
		return nil, fmt.Errorf("load model %s: %w", opts.Name, err)
	}
	out := []*embed.Embedder{first}
	for len(out) < cfg.Workers {
		e, err := first.Clone()
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// ModelBytes returns the model that mc selects, the bundled int8 or float
// backbone or the file at mc.Path, with the embedder options for it,
// including the requantization mode.
func ModelBytes(mc ModelConfig) ([]byte, embed.Options, error) {
	if !ValidRequantization(mc.Requantization) {
		return nil, embed.Options{}, fmt.Errorf("invalid model.requantization %q: use %q or %q",
			mc.Requantization, RequantizationXNNPACK, RequantizationTFLite)
	}
	data, opts, err := modelSource(mc)
	opts.FixedPointRequantization = mc.Requantization == RequantizationTFLite
	return data, opts, err
}

// modelSource returns the model bytes and embedder options of mc without
// the requantization mode.
func modelSource(mc ModelConfig) ([]byte, embed.Options, error) {
	if mc.Path == "" {
		tensor := mc.Tensor
		if tensor == "" {
			tensor = models.DefaultTensor
		}
		if mc.Precision == PrecisionInt8 ||
			(mc.Precision == "" && DefaultPrecision == PrecisionInt8) {
			return models.Int8(), embed.Options{Tensor: tensor, Name: models.Int8Name}, nil
		}
		return models.Default(), embed.Options{Tensor: tensor, Name: models.DefaultName}, nil
	}
	data, err := fileutil.ReadRegular(mc.Path, embed.MaxModelBytes)
	if err != nil {
		return nil, embed.Options{}, fmt.Errorf("read model.path: %w", err)
	}
	return data, embed.Options{Tensor: mc.Tensor, Name: mc.Path}, nil
}

// clusterSpace names the stored cluster state of one model and cluster
// count, so that changing either starts new clusters instead of mixing
// embeddings, and the old state stays in the file untouched.
func clusterSpace(id embed.Identity, k int) string {
	if k == 0 {
		k = cluster.DefaultK
	}
	return fmt.Sprintf("%s-%d-k%d", id.SHA256[:16], id.Dims, k)
}

func clusterConfig(cc ClusterConfig) cluster.Config {
	cfg := cluster.Config{K: cc.K, HalfLife: cc.HalfLife, SeedFrames: cc.SeedFrames,
		Novelty: cc.Novelty, Starved: cc.Starved}
	if cc.Metric == "cosine" {
		cfg.Metric = cluster.Cosine
	}
	return cfg
}

// loadClusters resumes the stored clusters of space, or starts new ones.
func loadClusters(st *store.Store, space string, cc ClusterConfig, dims int) (
	*cluster.Model, bool, error) {
	cfg := clusterConfig(cc)
	state, ok, err := st.LoadClusters(space)
	if err != nil {
		return nil, false, fmt.Errorf("load clusters: %w", err)
	}
	if !ok {
		m, err := cluster.New(cfg, dims)
		return m, false, err
	}
	m, err := cluster.Restore(cfg, state)
	if err != nil {
		return nil, false, fmt.Errorf("restore clusters from %s: %w", space, err)
	}
	return m, true, nil
}

func loadCounters(st *store.Store, space string) (wire.Counters, error) {
	var c wire.Counters
	data, err := st.Meta(countersKey(space))
	if err != nil || data == nil {
		return c, err
	}
	if err := json.Unmarshal(data, &c); err != nil {
		return c, fmt.Errorf("stored frame counters: %w", err)
	}
	return c, nil
}

// epochKey is the store meta key of the state file's epoch.
const epochKey = "epoch"

// loadEpoch returns the state file's epoch, creating a random one the
// first time. Summaries and events carry it so that the hub can tell a
// replaced state file, whose sequence numbers start again, from repeats.
func loadEpoch(st *store.Store) (string, error) {
	data, err := st.Meta(epochKey)
	if err != nil || len(data) > 0 {
		return string(data), err
	}
	var raw [8]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", fmt.Errorf("create state epoch: %w", err)
	}
	epoch := hex.EncodeToString(raw[:])
	return epoch, st.SetMeta(epochKey, []byte(epoch))
}
