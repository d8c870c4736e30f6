package cluster

import (
	"errors"
	"math"
	"reflect"
	"testing"
)

func TestObserveBatchOfOneMatchesObserve(t *testing.T) {
	vectors := blobVectors(300, 4, 3)
	vectors = append(vectors, []float32{0, 0, 0, 90}) // novel: merges and spawns
	one := mustNew(t, Config{K: 3}, 4)
	batched := mustNew(t, Config{K: 3}, 4)

	for i, v := range vectors {
		want := mustObserve(t, one, v, i)
		got, err := batched.ObserveBatch([][]float32{v}, frameTime(i), []uint64{uint64(i)})
		if err != nil {
			t.Fatal(err)
		}
		if got[0] != want {
			t.Fatalf("vector %d: ObserveBatch = %+v, Observe = %+v", i, got[0], want)
		}
	}
	if !reflect.DeepEqual(batched.Snapshot(), one.Snapshot()) {
		t.Error("states differ after the same vectors one at a time")
	}
}

func TestObserveBatchRecoversBlobs(t *testing.T) {
	vectors := blobVectors(3000, 8, 4)
	m := mustNew(t, Config{K: 4}, 8)
	for start := 0; start < len(vectors); start += 512 {
		end := min(start+512, len(vectors))
		frames := make([]uint64, end-start)
		for i := range frames {
			frames[i] = uint64(start + i)
		}
		got, err := m.ObserveBatch(vectors[start:end], epoch, frames)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != end-start {
			t.Fatalf("got %d assignments for %d vectors", len(got), end-start)
		}
	}

	if m.Observed() != uint64(len(vectors)) {
		t.Errorf("Observed = %d, want %d", m.Observed(), len(vectors))
	}
	// Blob b is centered 20 units out on axis b, so each axis must have a
	// centroid within 1 unit of its blob center.
	for axis := range 4 {
		center := make([]float32, 8)
		center[axis] = 20
		a, err := m.Nearest(center)
		if err != nil {
			t.Fatal(err)
		}
		if a.Distance > 1 {
			t.Errorf("nearest centroid to blob %d is %.2f away, want <= 1", axis, a.Distance)
		}
	}
}

func TestObserveBatchRejectsWholeBatch(t *testing.T) {
	m := mustNew(t, Config{K: 2, SeedFrames: 2}, 2)
	before := m.Snapshot()
	tests := []struct {
		name   string
		vecs   [][]float32
		frames []uint64
		want   error
	}{
		{"NaN in second vector", [][]float32{{1, 2}, {float32(math.NaN()), 0}}, []uint64{1, 2},
			ErrInvalidVector},
		{"wrong dimension", [][]float32{{1, 2}, {1}}, []uint64{1, 2}, ErrDimension},
		{"frame count", [][]float32{{1, 2}}, nil, ErrInvalidConfig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := m.ObserveBatch(tt.vecs, epoch, tt.frames)
			if !errors.Is(err, tt.want) {
				t.Errorf("error = %v, want %v", err, tt.want)
			}
			if !reflect.DeepEqual(m.Snapshot(), before) {
				t.Error("rejected batch changed the model")
			}
		})
	}
}
