package cluster

import (
	"errors"
	"math"
	"testing"
	"time"
)

var epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func frameTime(i int) time.Time { return epoch.Add(time.Duration(i) * time.Second) }

func mustNew(t testing.TB, cfg Config, dims int) *Model {
	t.Helper()
	m, err := New(cfg, dims)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func mustObserve(t testing.TB, m *Model, vec []float32, frame int) Assignment {
	t.Helper()
	a, err := m.Observe(vec, frameTime(frame), uint64(frame))
	if err != nil {
		t.Fatalf("Observe frame %d: %v", frame, err)
	}
	return a
}

func TestNewRejectsInvalidConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		dims int
	}{
		{"negative K", Config{K: -1}, 4},
		{"unknown metric", Config{Metric: 7}, 4},
		{"negative half-life", Config{HalfLife: -1}, 4},
		{"NaN half-life", Config{HalfLife: math.NaN()}, 4},
		{"infinite half-life", Config{HalfLife: math.Inf(1)}, 4},
		{"negative seed frames", Config{SeedFrames: -2}, 4},
		{"negative exemplars", Config{Exemplars: -1}, 4},
		{"negative seed restarts", Config{SeedRestarts: -1}, 4},
		{"NaN novelty", Config{Novelty: math.NaN()}, 4},
		{"infinite novelty", Config{Novelty: math.Inf(1)}, 4},
		{"NaN starved", Config{Starved: math.NaN()}, 4},
		{"starved fraction 1", Config{Starved: 1}, 4},
		{"zero dims", Config{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg, tt.dims)
			if !errors.Is(err, ErrInvalidConfig) {
				t.Errorf("error = %v, want ErrInvalidConfig", err)
			}
		})
	}
}

func TestConfigDefaults(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want Config
	}{
		{"zero", Config{}, Config{K: 8, HalfLife: 500, SeedFrames: 32, Exemplars: 4, Seed: 1,
			SeedRestarts: 10, Novelty: 2.5, Starved: 0.02}},
		{"large K", Config{K: 20}, Config{K: 20, HalfLife: 500, SeedFrames: 80, Exemplars: 4,
			Seed: 1, SeedRestarts: 10, Novelty: 2.5, Starved: 0.02}},
		{"all set", Config{K: 2, Metric: Cosine, HalfLife: 9, SeedFrames: 3, Exemplars: 1, Seed: 5,
			SeedRestarts: 2, Novelty: 4, Starved: 0.1}, Config{K: 2, Metric: Cosine, HalfLife: 9,
			SeedFrames: 3, Exemplars: 1, Seed: 5, SeedRestarts: 2, Novelty: 4, Starved: 0.1}},
		{"re-seeding disabled", Config{Novelty: -1, Starved: -1}, Config{K: 8, HalfLife: 500,
			SeedFrames: 32, Exemplars: 4, Seed: 1, SeedRestarts: 10, Novelty: -1, Starved: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustNew(t, tt.cfg, 3).Config(); got != tt.want {
				t.Errorf("Config = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestObserveRejectsInvalidVector(t *testing.T) {
	nan := float32(math.NaN())
	inf := float32(math.Inf(-1))
	tests := []struct {
		name   string
		metric Metric
		vec    []float32
		want   error
	}{
		{"short", Euclidean, []float32{1, 2}, ErrDimension},
		{"long", Euclidean, []float32{1, 2, 3, 4}, ErrDimension},
		{"NaN", Euclidean, []float32{1, nan, 3}, ErrInvalidVector},
		{"Inf", Euclidean, []float32{inf, 2, 3}, ErrInvalidVector},
		{"zero vector cosine", Cosine, []float32{0, 0, 0}, ErrInvalidVector},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustNew(t, Config{Metric: tt.metric}, 3)
			_, err := m.Observe(tt.vec, epoch, 1)
			if !errors.Is(err, tt.want) {
				t.Errorf("Observe error = %v, want %v", err, tt.want)
			}
			if _, err := m.Nearest(tt.vec); !errors.Is(err, tt.want) {
				t.Errorf("Nearest error = %v, want %v", err, tt.want)
			}
			if m.Observed() != 0 {
				t.Errorf("Observed = %d after a rejected vector, want 0", m.Observed())
			}
		})
	}
}

func TestObserveZeroVectorEuclidean(t *testing.T) {
	m := mustNew(t, Config{}, 2)
	if _, err := m.Observe([]float32{0, 0}, epoch, 1); err != nil {
		t.Errorf("Observe error = %v, want nil for the Euclidean metric", err)
	}
}

func TestObserveSeedsAfterBuffer(t *testing.T) {
	m := mustNew(t, Config{K: 2, SeedFrames: 6, Exemplars: 2}, 2)
	vectors := [][]float32{{0, 0}, {10, 10}, {0, 1}, {10, 11}, {1, 0}, {11, 10}}
	for i, v := range vectors[:5] {
		a := mustObserve(t, m, v, i)
		if a.Cluster != -1 {
			t.Fatalf("frame %d: Cluster = %d while seeding, want -1", i, a.Cluster)
		}
		if m.Seeded() {
			t.Fatalf("frame %d: Seeded = true before the buffer is full", i)
		}
	}

	last := mustObserve(t, m, vectors[5], 5)
	s := m.Snapshot()
	if !m.Seeded() || len(s.Clusters) != 2 {
		t.Fatalf("after seeding: Seeded = %v, clusters = %d, want true and 2",
			m.Seeded(), len(s.Clusters))
	}
	if len(s.Pending) != 0 {
		t.Errorf("Pending has %d frames after seeding, want 0", len(s.Pending))
	}

	high := s.Clusters[last.Cluster]
	low := s.Clusters[1-last.Cluster]
	wantHigh := ClusterState{
		ID: last.Cluster, Centroid: []float32{31.0 / 3, 31.0 / 3}, Count: 3,
		Weight: 1 + m.decay + m.decay*m.decay, FirstSeen: frameTime(1), LastSeen: frameTime(5),
		Exemplars: []uint64{3, 5},
	}
	assertCluster(t, high, wantHigh)
	if low.Count != 3 || low.FirstSeen != frameTime(0) || low.LastSeen != frameTime(4) {
		t.Errorf("low cluster = %+v, want 3 frames from 0s to 4s", low)
	}
	if want := math.Hypot(11-31.0/3, 10-31.0/3); math.Abs(last.Distance-want) > 1e-5 {
		t.Errorf("seeding Distance = %v, want %v", last.Distance, want)
	}
}

func assertCluster(t *testing.T, got, want ClusterState) {
	t.Helper()
	if got.ID != want.ID || got.Count != want.Count {
		t.Errorf("ID, Count = %d, %d, want %d, %d", got.ID, got.Count, want.ID, want.Count)
	}
	for i := range want.Centroid {
		if math.Abs(float64(got.Centroid[i]-want.Centroid[i])) > 1e-5 {
			t.Errorf("Centroid = %v, want %v", got.Centroid, want.Centroid)
			break
		}
	}
	if math.Abs(got.Weight-want.Weight) > 1e-12 {
		t.Errorf("Weight = %v, want %v", got.Weight, want.Weight)
	}
	if !got.FirstSeen.Equal(want.FirstSeen) || !got.LastSeen.Equal(want.LastSeen) {
		t.Errorf("seen %v..%v, want %v..%v", got.FirstSeen, got.LastSeen, want.FirstSeen, want.LastSeen)
	}
	if len(got.Exemplars) != len(want.Exemplars) {
		t.Fatalf("Exemplars = %v, want %v", got.Exemplars, want.Exemplars)
	}
	for i := range want.Exemplars {
		if got.Exemplars[i] != want.Exemplars[i] {
			t.Errorf("Exemplars = %v, want %v", got.Exemplars, want.Exemplars)
		}
	}
}

func TestRunningMeanDecay(t *testing.T) {
	// HalfLife 1 gives decay 0.5: weights 1, 1.5, 1.75, 1.875.
	m := mustNew(t, Config{K: 1, SeedFrames: 1, HalfLife: 1}, 1)
	steps := []struct {
		x            float32
		wantWeight   float64
		wantCentroid float64
		wantDistance float64
	}{
		{0, 1, 0, 0},
		{3, 1.5, 2, 3},
		{0, 1.75, 2 - 2/1.75, 2},
		{8, 1.875, (2 - 2/1.75) + (8-(2-2/1.75))/1.875, 8 - (2 - 2/1.75)},
	}
	for i, step := range steps {
		a := mustObserve(t, m, []float32{step.x}, i)
		c := m.Snapshot().Clusters[0]
		if math.Abs(c.Weight-step.wantWeight) > 1e-12 {
			t.Errorf("step %d: Weight = %v, want %v", i, c.Weight, step.wantWeight)
		}
		if math.Abs(float64(c.Centroid[0])-step.wantCentroid) > 1e-6 {
			t.Errorf("step %d: Centroid = %v, want %v", i, c.Centroid[0], step.wantCentroid)
		}
		if math.Abs(a.Distance-step.wantDistance) > 1e-6 {
			t.Errorf("step %d: Distance = %v, want %v", i, a.Distance, step.wantDistance)
		}
	}
}

func TestSeedingFewerDistinctThanK(t *testing.T) {
	m := mustNew(t, Config{K: 4, SeedFrames: 5}, 2)
	for i := range 5 {
		mustObserve(t, m, []float32{1, 1}, i)
	}
	if n := len(m.Snapshot().Clusters); n != 1 {
		t.Fatalf("clusters after seeding identical vectors = %d, want 1", n)
	}

	steps := []struct {
		vec  []float32
		want int
	}{
		{[]float32{1, 1}, 0},
		{[]float32{5, 5}, 1},
		{[]float32{5, 5}, 1},
		{[]float32{9, 0}, 2},
		{[]float32{0, 9}, 3},
		{[]float32{1, 2}, 0},
	}
	for i, step := range steps {
		if a := mustObserve(t, m, step.vec, 5+i); a.Cluster != step.want {
			t.Errorf("vector %v: Cluster = %d, want %d", step.vec, a.Cluster, step.want)
		}
	}
	assertCountsSum(t, m)
}

func TestSeedFramesBelowK(t *testing.T) {
	m := mustNew(t, Config{K: 5, SeedFrames: 2}, 1)
	for i := range 6 {
		mustObserve(t, m, []float32{float32(10 * i)}, i)
	}
	if n := len(m.Snapshot().Clusters); n != 5 {
		t.Errorf("clusters = %d, want 5", n)
	}
	assertCountsSum(t, m)
}

func assertCountsSum(t *testing.T, m *Model) {
	t.Helper()
	var sum uint64
	for _, c := range m.Snapshot().Clusters {
		sum += c.Count
	}
	if sum != m.Observed() {
		t.Errorf("sum of Counts = %d, want Observed = %d", sum, m.Observed())
	}
}

func TestExemplarsKeepMostRecent(t *testing.T) {
	m := mustNew(t, Config{K: 1, SeedFrames: 2, Exemplars: 3}, 1)
	for i := range 7 {
		mustObserve(t, m, []float32{1}, 100+i)
	}
	assertCluster(t, m.Snapshot().Clusters[0], ClusterState{
		Centroid: []float32{1}, Count: 7, Weight: weightAfter(m.decay, 7),
		FirstSeen: frameTime(100), LastSeen: frameTime(106), Exemplars: []uint64{104, 105, 106},
	})
}

func weightAfter(decay float64, n int) float64 {
	return (1 - math.Pow(decay, float64(n))) / (1 - decay)
}

func TestNearestDoesNotUpdate(t *testing.T) {
	m := mustNew(t, Config{K: 2, SeedFrames: 2}, 1)
	if a, err := m.Nearest([]float32{3}); err != nil || a.Cluster != -1 {
		t.Errorf("Nearest while seeding = %+v, %v, want Cluster -1", a, err)
	}
	mustObserve(t, m, []float32{0}, 0)
	mustObserve(t, m, []float32{10}, 1)
	before := m.Snapshot()

	a, err := m.Nearest([]float32{8})
	if err != nil {
		t.Fatal(err)
	}
	if got := before.Clusters[a.Cluster].Centroid[0]; got != 10 || a.Distance != 2 {
		t.Errorf("Nearest = cluster at %v, distance %v, want cluster at 10, distance 2", got, a.Distance)
	}
	if after := m.Snapshot(); after.Clusters[a.Cluster].Count != before.Clusters[a.Cluster].Count {
		t.Errorf("Nearest changed Count from %d to %d", before.Clusters[a.Cluster].Count,
			after.Clusters[a.Cluster].Count)
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		name   string
		metric Metric
		x      []float32
		center []float32
		want   float64
	}{
		{"euclidean 3-4-5", Euclidean, []float32{0, 0}, []float32{3, 4}, 5},
		{"euclidean same", Euclidean, []float32{1, 2}, []float32{1, 2}, 0},
		{"cosine same direction", Cosine, []float32{1, 2}, []float32{2, 4}, 0},
		{"cosine orthogonal", Cosine, []float32{1, 0}, []float32{0, 3}, 1},
		{"cosine opposite", Cosine, []float32{1, 1}, []float32{-1, -1}, 2},
		{"cosine 60 degrees", Cosine, []float32{1, 0}, []float32{0.5, float32(math.Sqrt(3) / 2)}, 0.5},
		{"cosine zero center", Cosine, []float32{1, 0}, []float32{0, 0}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := distance(tt.metric, tt.x, tt.center); math.Abs(got-tt.want) > 1e-7 {
				t.Errorf("distance = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSeedingIsDeterministic(t *testing.T) {
	vectors := blobVectors(60, 8, 3)
	run := func(seed int64) []int {
		m := mustNew(t, Config{K: 3, SeedFrames: 30, Seed: seed}, 8)
		var labels []int
		for i, v := range vectors {
			labels = append(labels, mustObserve(t, m, v, i).Cluster)
		}
		return labels
	}

	first, second := run(7), run(7)
	for i := range first {
		if first[i] != second[i] {
			t.Fatalf("frame %d: Cluster %d then %d with the same seed", i, first[i], second[i])
		}
	}
}
