package cluster

import (
	"fmt"
	"testing"

	"github.com/edgecluster/edgecluster/edge/quality"
)

func TestStarvedCluster(t *testing.T) {
	// K = 2 and HalfLife = 64 make a cluster's decayed weight halve every
	// 128 frames without a join.
	tests := []struct {
		name     string
		observed uint64
		weights  []float64
		joined   []uint64
		starved  float64
		want     int
	}{
		{"balanced", 512, []float64{100, 100}, []uint64{512, 512}, 0.02, -1},
		{"light", 512, []float64{100, 1}, []uint64{512, 512}, 0.02, 1},
		{"at the threshold", 512, []float64{99, 1}, []uint64{512, 512}, 0.02, -1},
		{"lowest of two light", 512, []float64{200, 2, 1}, []uint64{512, 512, 512}, 0.02, 2},
		{"idle heavy", 1024, []float64{100, 100}, []uint64{1024, 0}, 0.02, 1},
		{"idle briefly", 1024, []float64{100, 100}, []uint64{1024, 896}, 0.02, -1},
		{"higher fraction", 512, []float64{100, 10}, []uint64{512, 512}, 0.2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustNew(t, Config{K: len(tt.weights), HalfLife: 64, Starved: tt.starved}, 1)
			m.observed = tt.observed
			for i, w := range tt.weights {
				m.clusters = append(m.clusters, ClusterState{ID: i, Centroid: []float32{0},
					Weight: w, Joined: tt.joined[i]})
			}
			if got := m.starvedCluster(); got != tt.want {
				t.Errorf("starvedCluster() = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestSplitPlacesCentroidsSymmetrically(t *testing.T) {
	tests := []struct {
		name       string
		centroid   []float32
		far        []float32
		wantOld    []float32
		wantNew    []float32
		weight     float64
		wantWeight float64
	}{
		{"one dimension", []float32{0}, []float32{8}, []float32{-2}, []float32{2}, 10, 5},
		{"two dimensions", []float32{1, 1}, []float32{5, -3}, []float32{0, 2}, []float32{2, 0},
			7, 3.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dims := len(tt.centroid)
			m := mustNew(t, Config{K: 2}, dims)
			m.observed, m.nextID = 300, 4
			m.clusters = []ClusterState{{ID: 3, Centroid: tt.centroid, Weight: tt.weight,
				Radius: 1.5, Far: tt.far, FarDistance: 4, Count: 300}}

			m.split(0, frameTime(299), 299)

			want := []ClusterState{
				{ID: 3, Centroid: tt.wantOld, Weight: tt.wantWeight, Radius: 1.5, Count: 300},
				{ID: 4, Centroid: tt.wantNew, Weight: tt.wantWeight, Radius: 1.5, Joined: 300},
			}
			got := m.Snapshot().Clusters
			if len(got) != len(want) {
				t.Fatalf("clusters = %+v, want %+v", got, want)
			}
			for i := range want {
				assertCluster(t, got[i], want[i])
				if got[i].Joined != want[i].Joined || len(got[i].Far) != 0 {
					t.Errorf("cluster %d: Joined = %d, Far = %v, want %d and no far vector",
						got[i].ID, got[i].Joined, got[i].Far, want[i].Joined)
				}
			}
			assertEvents(t, m.Lineage(), []LineageEvent{{Time: frameTime(299), Frame: 299,
				Kind: LineageSplit, From: []int{3}, Into: 4}})
		})
	}
}

// outlierSeeding returns a stream whose 32 seed frames alternate between
// blobs 0 and 1 and end with one vector 200 units out along axis 3, so
// that seeding with K = 3 gives the outlier a cluster of its own. Blobs 0,
// 1 and 2 then take turns for perBlob frames each. The outlier's true class
// is 3.
func outlierSeeding(perBlob int) ([][]float32, []int) {
	seedFrames, seedTruth := orderedBlobs(11, 16, []visit{{0, 16}, {1, 15}})
	seedFrames = interleave(seedFrames[:30], 2, 15)
	seedTruth = []int{}
	for i := range seedFrames {
		seedTruth = append(seedTruth, i%2)
	}
	outlier := make([]float32, 16)
	outlier[3] = 200
	seedFrames = append(seedFrames, outlier, outlier)
	seedTruth = append(seedTruth, 3, 3)

	rest, restTruth := orderedBlobs(12, 16, []visit{{0, perBlob}, {1, perBlob}, {2, perBlob}})
	rest = interleave(rest, 3, perBlob)
	restTruth = interleaveInts(restTruth, 3, perBlob)
	return append(seedFrames, rest...), append(seedTruth, restTruth...)
}

func interleaveInts(values []int, visits, perBlob int) []int {
	out := make([]int, 0, len(values))
	for i := range perBlob {
		for v := range visits {
			out = append(out, values[v*perBlob+i])
		}
	}
	return out
}

func TestStarvedOutlierSeedIsReseeded(t *testing.T) {
	vectors, truth := outlierSeeding(1000)

	enabled := mustNew(t, Config{K: 3, Novelty: -1}, 16)
	labels := streamLabels(t, enabled, vectors)
	seeded := enabled.Lineage()[:3]
	outlierID := labels[31]
	if seeded[2].Kind != LineageSeed || outlierID < 0 {
		t.Fatalf("lineage starts %+v and the outlier has cluster %d, want 3 seed events "+
			"and a seeded outlier", seeded, outlierID)
	}

	merges := 0
	for _, e := range enabled.Lineage()[3:] {
		if e.Kind == LineageMerge && e.From[1] == outlierID {
			merges++
		}
	}
	if merges != 1 {
		t.Errorf("lineage %+v merges the outlier's cluster %d times, want once",
			enabled.Lineage(), merges)
	}
	if got := countKind(enabled.Lineage(), LineageSplit); got != 1 {
		t.Errorf("splits = %d, want 1", got)
	}
	if ids := clusterIDs(enabled); fmt.Sprint(ids) == fmt.Sprint([]int{0, 1, 2}) {
		t.Errorf("cluster ids = %v, want the outlier's id replaced by a new one", ids)
	}

	streamed := quality.NMI(truth[32:], labels[32:])
	final := quality.NMI(truth[32:], nearestLabels(t, enabled, vectors[32:]))
	if final < 0.99 {
		t.Errorf("final NMI = %.4f, want >= 0.99", final)
	}

	disabled := mustNew(t, Config{K: 3, Novelty: -1, Starved: -1}, 16)
	without := quality.NMI(truth[32:], streamLabels(t, disabled, vectors)[32:])
	if without >= streamed {
		t.Errorf("streaming NMI = %.4f without re-seeding, want below %.4f with it",
			without, streamed)
	}
}

func TestStarvedSeedsInOneBlobSettle(t *testing.T) {
	// In 128 dimensions a seed cluster of a few frames lies farther from
	// new frames than a cluster that absorbed many, so most seeds starve.
	vectors, _ := orderedBlobs(5, 128, []visit{{0, 6000}})
	m := mustNew(t, Config{K: 8}, 128)
	for i, v := range vectors {
		mustObserve(t, m, v, i)
	}

	splits := countKind(m.Lineage(), LineageSplit)
	if splits == 0 {
		t.Error("no starved seed was re-seeded")
	}
	for _, e := range m.Lineage() {
		if e.Frame >= 3000 {
			t.Errorf("frame %d: %s event %v into %d, want none in the second half",
				e.Frame, e.Kind, e.From, e.Into)
		}
	}
	if got := m.starvedCluster(); got >= 0 {
		t.Errorf("cluster %d is starved at the end", m.clusters[got].ID)
	}
}

func TestRestoreContinuesAcrossReseed(t *testing.T) {
	cfg := Config{K: 3, Novelty: -1}
	vectors, _ := outlierSeeding(300)
	reference := mustNew(t, cfg, 16)
	var want []Assignment
	reseeded := -1
	for i, v := range vectors {
		want = append(want, mustObserve(t, reference, v, i))
		if reseeded < 0 && countKind(reference.Lineage(), LineageSplit) > 0 {
			reseeded = i
		}
	}
	if reseeded < 0 {
		t.Fatal("reference model never re-seeded a starved cluster")
	}

	for _, stop := range []int{32, reseeded - 1, reseeded, reseeded + 1} {
		t.Run(fmt.Sprintf("stop at %d", stop), func(t *testing.T) {
			assertRestoreContinues(t, cfg, vectors, stop, want, reference)
		})
	}
}

func TestRestoreVersion2SetsJoined(t *testing.T) {
	s := readState(t, "reseeded-v2.json")
	if s.Version != 2 {
		t.Fatalf("testdata state has version %d, want 2", s.Version)
	}
	m, err := Restore(Config{K: 2, SeedFrames: 4, Exemplars: 2}, s)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range m.Snapshot().Clusters {
		if c.Joined != s.Observed {
			t.Errorf("cluster %d: Joined = %d, want Observed = %d", c.ID, c.Joined, s.Observed)
		}
		if w := m.decayedWeight(c); w != c.Weight {
			t.Errorf("cluster %d: decayed weight = %v, want the stored %v", c.ID, w, c.Weight)
		}
	}
}
