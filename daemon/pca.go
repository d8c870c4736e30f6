package daemon

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/edgecluster/edgecluster/edge/reduce"
	"github.com/edgecluster/edgecluster/edge/store"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// MinPCAWarmup is the least ClusterConfig.PCAWarmup used when the field is
// 0, which means max(MinPCAWarmup, 2*PCADims) up to 4096. On the demo clip a basis
// frozen after 64 embeddings kept the scene NMI at 0.935 with 32
// components, while a basis that kept learning turned under the centroids
// and fell to 0.665 (BENCHMARKS.md). Twice the components gives each
// component estimate more than one embedding to learn from.
const MinPCAWarmup = 64

// pcaMethod names the reduction in summaries.
const pcaMethod = "ccipca"

// pcaStage reduces embeddings with an incremental PCA. The basis learns
// from the first warmup embeddings, which wait in pending, and is then
// frozen, so that centroids and the basis never move apart.
//
// NOTE: pending lives in memory only. A stop during warm-up keeps what the
// basis learned but never clusters the embeddings that waited, so their
// frames count as seen and not as embedded.
type pcaStage struct {
	pca     *reduce.Incremental
	warmup  uint64
	pending []warmupFrame

	// dirty is set while the state differs from the stored one, and basis
	// is the SHA-256 of the stored state once frozen.
	dirty bool
	basis string
}

type warmupFrame struct {
	it  item
	vec []float32
}

func (cc ClusterConfig) pcaWarmup() int {
	if cc.PCAWarmup == 0 {
		return min(max(MinPCAWarmup, 2*cc.PCADims), maxPCAWarmup)
	}
	return cc.PCAWarmup
}

// reductionSuffix extends a cluster space name with the reduction, so that
// turning PCA on or off, or changing its size or warm-up, starts new
// clusters and leaves the old ones in the state file.
func reductionSuffix(cc ClusterConfig) string {
	if cc.PCADims == 0 {
		return ""
	}
	return fmt.Sprintf("-pca%d-w%d", cc.PCADims, cc.pcaWarmup())
}

// clusterDims returns the length of the vectors the clusters receive.
func clusterDims(cc ClusterConfig, embeddingDims int) int {
	if cc.PCADims == 0 {
		return embeddingDims
	}
	return cc.PCADims
}

// checkPCADims rejects a reduction that does not reduce, before any state
// is opened.
func checkPCADims(cc ClusterConfig, dims int) error {
	if cc.PCADims < dims {
		return nil
	}
	return &KeyError{Key: "cluster.pca_dims", Message: fmt.Sprintf(
		"%d must be below the model's embedding dimension %d; lower it, or set 0 to turn "+
			"PCA off", cc.PCADims, dims)}
}

// loadPCA resumes the stored PCA of space, or starts learning a new one.
// It returns nil when cluster.pca_dims is 0.
func loadPCA(st *store.Store, space string, cc ClusterConfig, dims int) (*pcaStage, error) {
	if cc.PCADims == 0 {
		return nil, nil
	}
	stage := &pcaStage{warmup: uint64(cc.pcaWarmup())}
	data, ok, err := st.Reduction(space)
	if err != nil {
		return nil, fmt.Errorf("load PCA: %w", err)
	}
	if !ok {
		stage.dirty = true
		stage.pca, err = reduce.NewIncremental(reduce.IncrementalConfig{Components: cc.PCADims},
			dims)
		return stage, err
	}
	if stage.pca, err = decodePCA(data, cc.PCADims, dims); err != nil {
		return nil, fmt.Errorf("restore PCA of space %s: %w", space, err)
	}
	if stage.frozen() {
		stage.basis = basisHash(data)
	}
	return stage, nil
}

func decodePCA(data []byte, components, dims int) (*reduce.Incremental, error) {
	var s reduce.IncrementalState
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("%w: %w", store.ErrCorrupt, err)
	}
	if s.Components != components || s.Dims != dims {
		return nil, fmt.Errorf("%w: stored PCA maps %d to %d dimensions, want %d to %d",
			store.ErrCorrupt, s.Dims, s.Components, dims, components)
	}
	return reduce.RestoreIncremental(s)
}

func basisHash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func (s *pcaStage) frozen() bool { return s.pca.Count() >= s.warmup }

// encode returns the state to store with the next commit, or nil when the
// stored one is current. It freezes the basis hash the first time it
// encodes a frozen state.
func (s *pcaStage) encode() ([]byte, error) {
	if s == nil || !s.dirty {
		return nil, nil
	}
	data, err := json.Marshal(s.pca.Snapshot())
	if err != nil {
		return nil, fmt.Errorf("encode PCA: %w", err)
	}
	if s.frozen() {
		s.basis = basisHash(data)
	}
	return data, nil
}

// wireReduction describes the reduction in summaries, nil when it is off.
func (s *pcaStage) wireReduction() *wire.Reduction {
	if s == nil {
		return nil
	}
	return &wire.Reduction{Method: pcaMethod, Dims: s.pca.Components(), Basis: s.basis}
}

// observeEmbedding passes an embedding to the clusters, through the PCA
// when it is on. While the basis learns, embeddings wait and are
// clustered, in order, once it is frozen.
func (p *pipeline) observeEmbedding(it item, vec []float32) error {
	it.embedding = vec
	if p.pca == nil {
		return p.observe(it, vec)
	}
	if p.pca.frozen() {
		reduced, err := p.pca.pca.Transform(vec)
		if err != nil {
			p.rejectEmbedding(it, err)
			return nil
		}
		return p.observe(it, reduced)
	}

	if err := p.pca.pca.Update(vec); err != nil {
		p.rejectEmbedding(it, err)
		return nil
	}
	p.pca.dirty = true
	p.pca.pending = append(p.pca.pending, warmupFrame{it, vec})
	if !p.pca.frozen() {
		return nil
	}
	p.log.Info("pca basis frozen", "components", p.pca.pca.Components(),
		"warmup", p.pca.warmup, "waiting", len(p.pca.pending))
	return p.flushWarmup()
}

// flushWarmup clusters the embeddings that waited for the basis.
func (p *pipeline) flushWarmup() error {
	pending := p.pca.pending
	p.pca.pending = nil
	for _, w := range pending {
		if err := p.observeEmbedding(w.it, w.vec); err != nil {
			return err
		}
	}
	return nil
}

func (p *pipeline) rejectEmbedding(it item, err error) {
	p.counters.Corrupt++
	p.frameLog.warn(p.log, p.clock.Now(), "embedding rejected", "seq", it.frame.Seq, "err", err)
}

// committed records that the encoded state is stored.
func (s *pcaStage) committed() {
	if s != nil {
		s.dirty = false
	}
}
