package hub

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/sync/hub/kv"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// cacheTestExemplars returns exemplars of frames spread over 64 clusters.
func cacheTestExemplars(device string, frames []uint64, value float32, dims int) wire.Exemplars {
	m := wire.Exemplars{V: wire.Version, Device: device, Epoch: "e1",
		Model: wire.Model{Name: "m", SHA256: "abc", Dims: dims}}
	for _, f := range frames {
		v := make(wire.Vector, dims)
		for j := range v {
			v[j] = value + float32(j%7)
		}
		m.Items = append(m.Items, wire.Exemplar{Cluster: int(f % 64), Frame: f,
			Time: time.Unix(int64(f), 0).UTC(), JPEG: []byte{0xff, 0xd8, byte(f)}, Vector: v})
	}
	return m
}

func TestDecodedExemplarsFollowStore(t *testing.T) {
	forEachStore(t, func(t *testing.T, state Options) {
		st, err := openStore(state, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer st.close()

		steps := []struct {
			name       string
			put        wire.Exemplars
			drop       []uint64
			wantFrames []uint64
			wantFirst  float32
		}{
			{"first read", cacheTestExemplars("cam-1", []uint64{1, 2, 3}, 1, 8), nil,
				[]uint64{1, 2, 3}, 1},
			{"overwritten", cacheTestExemplars("cam-1", []uint64{1}, 5, 8), nil,
				[]uint64{1, 2, 3}, 5},
			{"deleted", wire.Exemplars{}, []uint64{2}, []uint64{1, 3}, 5},
			{"other device", cacheTestExemplars("cam-10", []uint64{9}, 2, 8), nil,
				[]uint64{1, 3}, 5},
		}
		for _, step := range steps {
			if step.put.Device != "" {
				if err := st.putExemplars(step.put); err != nil {
					t.Fatal(err)
				}
			}
			for _, f := range step.drop {
				deleteTestExemplar(t, st, "cam-1", f)
			}
			got, err := st.exemplars("cam-1")
			if err != nil {
				t.Fatal(err)
			}
			var frames []uint64
			for _, e := range got {
				frames = append(frames, e.Frame)
			}
			if !slices.Equal(frames, step.wantFrames) {
				t.Errorf("%s: frames = %v, want %v", step.name, frames, step.wantFrames)
			}
			if len(got) > 0 && got[0].Vector[0] != step.wantFirst {
				t.Errorf("%s: frame %d vector[0] = %v, want %v", step.name, got[0].Frame,
					got[0].Vector[0], step.wantFirst)
			}
		}
	})
}

func BenchmarkStoredExemplars(b *testing.B) {
	for _, n := range []int{256, 4096} {
		b.Run(fmt.Sprintf("n=%d/d=1280", n), func(b *testing.B) {
			st, err := openStore(Options{StatePath: filepath.Join(b.TempDir(), "hub.db")}, nil)
			if err != nil {
				b.Fatal(err)
			}
			defer st.close()
			frames := make([]uint64, n)
			for i := range frames {
				frames[i] = uint64(i + 1)
			}
			for chunk := range slices.Chunk(frames, 256) {
				if err := st.putExemplars(cacheTestExemplars("cam-1", chunk, 1, 1280)); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for b.Loop() {
				if _, err := st.exemplars("cam-1"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func deleteTestExemplar(t *testing.T, st *store, device string, frame uint64) {
	t.Helper()
	err := st.db.Update(func(tx kv.Tx) error {
		return tx.Bucket(exemplarsBucket).Delete(exemplarKey(device, frame))
	})
	if err != nil {
		t.Fatal(err)
	}
}
