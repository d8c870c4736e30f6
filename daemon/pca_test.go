package daemon

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/edgecluster/edgecluster/edge/eval"
	"github.com/edgecluster/edgecluster/edge/reduce"
	"github.com/edgecluster/edgecluster/edge/store"
	"github.com/edgecluster/edgecluster/sync/wire"
)

func TestValidatePCA(t *testing.T) {
	base := Config{DeviceID: "cam-1", Source: SourceConfig{Path: "x"}}
	tests := []struct {
		name    string
		dims    int
		warmup  int
		wantKey string // "" for a valid config
	}{
		{"off", 0, 0, ""},
		{"default warmup", 32, 0, ""},
		{"warmup one above dims", 63, 64, ""},
		{"negative dims", -1, 0, "cluster.pca_dims"},
		{"negative warmup", 8, -1, "cluster.pca_warmup"},
		{"warmup too large", 8, maxPCAWarmup + 1, "cluster.pca_warmup"},
		{"warmup equals dims", 64, 64, "cluster.pca_warmup"},
		{"default warmup twice dims", 128, 0, ""},
		{"default warmup above limit", 4096, 0, "cluster.pca_warmup"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base
			c.Cluster.PCADims, c.Cluster.PCAWarmup = tt.dims, tt.warmup
			err := c.Validate()
			if tt.wantKey == "" {
				if err != nil {
					t.Errorf("valid config rejected: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tt.wantKey) {
				t.Errorf("err %v, want ErrConfig naming %s", err, tt.wantKey)
			}
		})
	}
}

func TestRunPCADimsNotBelowModel(t *testing.T) {
	state := filepath.Join(t.TempDir(), "s.db")
	cfg := testConfig(t, writeClip(t, clipFrames(t, 0, 2)), state)
	cfg.Cluster.PCADims, cfg.Cluster.PCAWarmup = 1280, 2000
	_, err := Run(context.Background(), cfg, testOptions())
	if !errors.Is(err, ErrConfig) {
		t.Fatalf("err %v, want ErrConfig", err)
	}
	for _, want := range []string{"cluster.pca_dims", "1280"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if _, err := os.Stat(state); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("state file created for an invalid config: %v", err)
	}
}

// TestRunPCAScenesNMI runs the whole demo clip through a 64-component PCA
// and scores the assignments the daemon writes against the clip's scenes.
func TestRunPCAScenesNMI(t *testing.T) {
	if testing.Short() {
		t.Skip("embeds the whole clip")
	}
	cfg := testConfig(t, demoClip, filepath.Join(t.TempDir(), "s.db"))
	cfg.Cluster = ClusterConfig{K: 8, PCADims: 64}
	var assigned bytes.Buffer
	opts := testOptions()
	opts.Assignments = &assigned
	res, err := Run(context.Background(), cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Frames.Embedded != res.Frames.Seen {
		t.Errorf("embedded %d of %d frames, want all", res.Frames.Embedded, res.Frames.Seen)
	}

	rep := sceneReport(t, assigned.Bytes())
	t.Logf("scene NMI %.4f over %d frames, %d clusters", rep.NMI, rep.Frames, len(rep.Clusters))
	if rep.Frames != int(res.Frames.Seen) {
		t.Errorf("%d frames assigned, want %d", rep.Frames, res.Frames.Seen)
	}
	if rep.NMI < 0.9 {
		t.Errorf("scene NMI %.4f, want at least 0.9", rep.NMI)
	}
}

func sceneReport(t *testing.T, assignments []byte) eval.Report {
	t.Helper()
	f, err := os.Open("../demo/scenes.manifest.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	scenes, err := eval.ReadManifest(f)
	if err != nil {
		t.Fatal(err)
	}
	assigned, err := eval.ReadAssignments(bytes.NewReader(assignments))
	if err != nil {
		t.Fatal(err)
	}
	return eval.Compare(scenes, assigned)
}

func pcaTestConfig(t *testing.T, source, state string, dims int) Config {
	cfg := testConfig(t, source, state)
	cfg.Cluster.PCADims, cfg.Cluster.PCAWarmup = dims, 20
	return cfg
}

// storedPCA returns the only stored PCA state of a state file.
func storedPCA(t *testing.T, path string, cfg Config) []byte {
	t.Helper()
	st, err := store.Open(path, store.Options{Logger: testOptions().Logger})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	data, ok, err := st.Reduction(pcaSpace(t, cfg))
	if err != nil || !ok {
		t.Fatalf("load PCA: ok=%v err=%v", ok, err)
	}
	return data
}

func pcaSpace(t *testing.T, cfg Config) string {
	t.Helper()
	embedders, err := loadEmbedders(Config{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	return clusterSpace(embedders[0].Identity(), cfg.Cluster.K) + reductionSuffix(cfg.Cluster)
}

func pcaCount(t *testing.T, data []byte) uint64 {
	t.Helper()
	var s reduce.IncrementalState
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return s.Count
}

// TestRunPCAResumesFrozenBasis stops the daemon after the basis froze and
// checks that the next run neither re-learns nor changes it.
func TestRunPCAResumesFrozenBasis(t *testing.T) {
	frames := clipFrames(t, 0, 50)
	state := filepath.Join(t.TempDir(), "s.db")
	first := pcaTestConfig(t, writeClip(t, frames[:30]), state, 8)
	res, err := Run(context.Background(), first, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if res.Frames.Embedded != 30 {
		t.Errorf("first run embedded %d frames, want 30", res.Frames.Embedded)
	}
	before := storedPCA(t, state, first)
	if n := pcaCount(t, before); n != 20 {
		t.Errorf("basis learned from %d embeddings, want the warm-up of 20", n)
	}

	second := pcaTestConfig(t, writeClip(t, frames[30:]), state, 8)
	res, err = Run(context.Background(), second, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if !res.Resumed {
		t.Error("second run did not resume the stored state")
	}
	if res.Frames.Embedded != 50 {
		t.Errorf("after both runs embedded %d frames, want 50", res.Frames.Embedded)
	}
	if after := storedPCA(t, state, second); !bytes.Equal(before, after) {
		t.Errorf("stored PCA changed across the restart:\n%.200s\n%.200s", before, after)
	}
	checkPCASummary(t, second, before)
	checkExemplarsUnreduced(t, state, second)
	checkPCAReset(t, second)
	if after := storedPCA(t, state, second); !bytes.Equal(before, after) {
		t.Errorf("stored PCA changed across a reset:\n%.200s\n%.200s", before, after)
	}
}

// checkPCAReset checks that a reset command starts clusters of the reduced
// size that take the next embedding.
func checkPCAReset(t *testing.T, cfg Config) {
	t.Helper()
	p, err := newPipeline(cfg.WithDefaults(), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer p.closeAll()
	if err := p.reset(); err != nil {
		t.Fatal(err)
	}
	if got := p.clusters.Dims(); got != cfg.Cluster.PCADims {
		t.Errorf("clusters after a reset take %d dimensions, want %d", got, cfg.Cluster.PCADims)
	}
	if err := p.observeEmbedding(item{}, make([]float32, p.id.Dims)); err != nil {
		t.Fatal(err)
	}
	if p.counters.Corrupt != 0 || p.clusters.Observed() != 1 {
		t.Errorf("after a reset: corrupt %d, observed %d, want 0 and 1", p.counters.Corrupt,
			p.clusters.Observed())
	}
}

// checkPCASummary checks that a summary of the resumed state names the
// stored basis and carries reduced centroids that the hub accepts.
func checkPCASummary(t *testing.T, cfg Config, stored []byte) {
	t.Helper()
	p, err := newPipeline(cfg.WithDefaults(), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer p.closeAll()
	s := p.summary(1)
	sum := sha256.Sum256(stored)
	want := wire.Reduction{Method: pcaMethod, Dims: 8, Basis: hex.EncodeToString(sum[:])}
	if s.Reduction == nil || *s.Reduction != want {
		t.Fatalf("summary reduction %+v, want %+v", s.Reduction, want)
	}
	if len(s.Clusters) == 0 || len(s.Clusters[0].Centroid) != 8 {
		t.Fatalf("summary clusters %d, want reduced centroids of 8 values", len(s.Clusters))
	}
	data, err := wire.Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wire.DecodeSummary(data); err != nil {
		t.Errorf("hub rejects the reduced summary: %v", err)
	}
}

// checkExemplarsUnreduced checks that exemplars keep the model's
// embedding, which the hub compares across devices, not the reduced vector.
func checkExemplarsUnreduced(t *testing.T, path string, cfg Config) {
	t.Helper()
	st, err := store.Open(path, store.Options{Logger: testOptions().Logger})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	stored, err := st.Exemplars(pcaSpace(t, cfg))
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) == 0 {
		t.Fatal("no exemplars stored")
	}
	for _, e := range stored {
		if len(e.Vector) != 1280 {
			t.Errorf("exemplar %d has %d values, want the model's 1280", e.Frame, len(e.Vector))
		}
	}
}

// TestRunPCAResumesWarmup stops the daemon while the basis learns and
// checks that the next run continues learning from where it stopped.
func TestRunPCAResumesWarmup(t *testing.T) {
	frames := clipFrames(t, 0, 40)
	state := filepath.Join(t.TempDir(), "s.db")
	first := pcaTestConfig(t, writeClip(t, frames[:12]), state, 8)
	res, err := Run(context.Background(), first, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if res.Frames.Embedded != 0 {
		t.Errorf("embedded %d frames during warm-up, want 0", res.Frames.Embedded)
	}
	if n := pcaCount(t, storedPCA(t, state, first)); n != 12 {
		t.Errorf("stored PCA learned from %d embeddings, want 12", n)
	}

	second := pcaTestConfig(t, writeClip(t, frames[12:]), state, 8)
	if res, err = Run(context.Background(), second, testOptions()); err != nil {
		t.Fatal(err)
	}
	if n := pcaCount(t, storedPCA(t, state, second)); n != 20 {
		t.Errorf("stored PCA learned from %d embeddings, want the warm-up of 20", n)
	}
	if res.Frames.Embedded != 28 {
		t.Errorf("embedded %d frames, want the 28 of the second run", res.Frames.Embedded)
	}
}

// TestRunPCAChangeStartsNewSpace turns PCA on and changes its size, and
// checks that each change starts a new space and keeps the earlier ones.
func TestRunPCAChangeStartsNewSpace(t *testing.T) {
	clip := writeClip(t, clipFrames(t, 0, 30))
	state := filepath.Join(t.TempDir(), "s.db")
	var spaces []string
	var storedStates [][]byte
	for _, dims := range []int{0, 8, 16} {
		cfg := pcaTestConfig(t, clip, state, dims)
		res, err := Run(context.Background(), cfg, testOptions())
		if err != nil {
			t.Fatal(err)
		}
		if res.Resumed {
			t.Errorf("pca_dims %d resumed a stored space, want a new one", dims)
		}
		spaces = append(spaces, pcaSpace(t, cfg))
		storedStates = append(storedStates, storedSpace(t, state, spaces[len(spaces)-1]))
	}

	for i, space := range spaces {
		if got := storedSpace(t, state, space); !bytes.Equal(got, storedStates[i]) {
			t.Errorf("space %s changed after later runs", space)
		}
	}
	st, err := store.Open(state, store.Options{Logger: testOptions().Logger})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, ok, _ := st.Reduction(spaces[0]); ok {
		t.Errorf("space %s without PCA has a stored PCA", spaces[0])
	}
	if got, _ := st.Spaces(); len(got) != 3 {
		t.Errorf("stored spaces %v, want 3", got)
	}
}

// storedSpace returns the cluster state of space as JSON.
func storedSpace(t *testing.T, path, space string) []byte {
	t.Helper()
	st, err := store.Open(path, store.Options{Logger: testOptions().Logger})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	state, ok, err := st.LoadClusters(space)
	if err != nil || !ok {
		t.Fatalf("load clusters of %s: ok=%v err=%v", space, ok, err)
	}
	data, err := json.Marshal(state)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
