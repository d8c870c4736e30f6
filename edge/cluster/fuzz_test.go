package cluster

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.json state files")

// testdataStates returns the current-version states stored as testdata
// seeds: one taken while seeding, one after, and one after a merge and a
// spawn. The *-v1.json files are fixed version 1 states.
func testdataStates(t testing.TB) map[string]State {
	t.Helper()
	m := mustNew(t, Config{K: 2, SeedFrames: 4, Exemplars: 2}, 3)
	states := map[string]State{}
	for i, v := range blobVectors(7, 3, 2) {
		mustObserve(t, m, v, i)
		if i == 1 {
			states["seeding.json"] = m.Snapshot()
		}
	}
	states["seeded.json"] = m.Snapshot()

	mustObserve(t, m, []float32{0, 0, 40}, 7)
	mustObserve(t, m, []float32{0, 1, 40}, 8)
	states["reseeded.json"] = m.Snapshot()
	if countKind(m.Lineage(), LineageMerge) != 1 {
		t.Fatalf("reseeded state has lineage %+v, want one merge", m.Lineage())
	}
	return states
}

func TestStateTestdataCurrent(t *testing.T) {
	for name, s := range testdataStates(t) {
		path := filepath.Join("testdata", name)
		want, err := json.MarshalIndent(s, "", "\t")
		if err != nil {
			t.Fatal(err)
		}
		if *update {
			if err := os.WriteFile(path, append(want, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
		}

		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var decoded State
		if err := json.Unmarshal(got, &decoded); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if _, err := Restore(Config{K: 2, SeedFrames: 4, Exemplars: 2}, decoded); err != nil {
			t.Errorf("%s: Restore: %v (run go test -update after a State change)", path, err)
		}
	}
}

func FuzzRestore(f *testing.F) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no testdata/*.json seeds: %v", err)
	}
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		var s State
		if json.Unmarshal(data, &s) != nil {
			return
		}
		m, err := Restore(Config{K: 2, SeedFrames: 4, Exemplars: 2}, s)
		if err != nil {
			if !errors.Is(err, ErrInvalidState) && !errors.Is(err, ErrUnsupportedVersion) &&
				!errors.Is(err, ErrInvalidConfig) {
				t.Fatalf("Restore error %v wraps no sentinel", err)
			}
			return
		}

		vec := make([]float32, m.Dims())
		vec[0] = 1
		for i := range 6 {
			if _, err := m.Observe(vec, epoch, uint64(i)); err != nil {
				t.Fatalf("Observe after Restore: %v", err)
			}
		}
		if err := m.Snapshot().Validate(); err != nil {
			t.Fatalf("snapshot after Restore and Observe is invalid: %v", err)
		}
	})
}
