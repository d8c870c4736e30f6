package wire

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testSHA = "8f1c0e1d2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5"

func testRefinement() Refinement {
	return Refinement{ID: "r1", Epoch: "e1", Space: "8f1c0e1d2a3b4c5d-4-k2",
		Model: Model{Name: "m", SHA256: testSHA, Dims: 4}, Summary: 3, Embedded: 120,
		Clusters: []RefinedCluster{{ID: 0, Centroid: Vector{1, 2, 3, 4}},
			{ID: 5, Centroid: Vector{0.5, 0, -1, 2}, Base: Vector{0.25, 0, -1, 2}}}}
}

func TestRefineRoundTrip(t *testing.T) {
	want := testRefinement()
	data, err := EncodeRefine("c1", want)
	if err != nil {
		t.Fatal(err)
	}
	cmd, err := ParseCommand(CmdRefineCentroids, data)
	if err != nil {
		t.Fatal(err)
	}
	if cmd.ID != "c1" || cmd.Name != CmdRefineCentroids {
		t.Errorf("command %q id %q, want %q id c1", cmd.Name, cmd.ID, CmdRefineCentroids)
	}
	got := cmd.Refine
	if got == nil {
		t.Fatal("Refine is nil")
	}
	if got.ID != want.ID || got.Space != want.Space || got.Epoch != want.Epoch ||
		got.Model != want.Model || got.Summary != want.Summary || got.Embedded != want.Embedded {
		t.Errorf("refinement header = %+v, want %+v", *got, want)
	}
	for i, c := range got.Clusters {
		w := want.Clusters[i]
		if c.ID != w.ID || len(c.Centroid) != len(w.Centroid) || c.Centroid[3] != w.Centroid[3] {
			t.Errorf("cluster %d = %+v, want %+v", i, c, w)
		}
		if len(c.Base) != len(w.Base) || (len(w.Base) > 0 && c.Base[1] != w.Base[1]) {
			t.Errorf("cluster %d base = %v, want %v", i, c.Base, w.Base)
		}
	}
}

func TestRefineRejectsBadPayloads(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Refinement)
		want   string
	}{
		{"no refinement id", func(r *Refinement) { r.ID = "" }, `"refinement"`},
		{"no space", func(r *Refinement) { r.Space = "" }, `"space"`},
		{"bad model hash", func(r *Refinement) { r.Model.SHA256 = "abc" }, "sha256"},
		{"no clusters", func(r *Refinement) { r.Clusters = nil }, "0 clusters"},
		{"duplicate id", func(r *Refinement) { r.Clusters[1].ID = 0 }, "twice"},
		{"negative id", func(r *Refinement) { r.Clusters[0].ID = -1 }, "id -1"},
		{"short centroid", func(r *Refinement) { r.Clusters[0].Centroid = Vector{1} },
			"has 1 values, want 4"},
		{"reduced dims", func(r *Refinement) {
			r.Reduction = &Reduction{Method: "ccipca", Dims: 2, Basis: testSHA}
		}, "has 4 values, want 2"},
		{"infinite value", func(r *Refinement) {
			r.Clusters[1].Centroid[2] = float32(math.Inf(1))
		}, "finite"},
		{"short base", func(r *Refinement) { r.Clusters[0].Base = Vector{1, 2} },
			"base has 2 values, want 4"},
		{"NaN base", func(r *Refinement) {
			r.Clusters[0].Base = Vector{0, 0, float32(math.NaN()), 0}
		}, "base value 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := testRefinement()
			tt.change(&r)
			_, err := EncodeRefine("c1", r)
			if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want ErrMalformed naming %s", err, tt.want)
			}
		})
	}
}

func TestParseRefineRejectsEnvelope(t *testing.T) {
	data, err := EncodeRefine("c1", testRefinement())
	if err != nil {
		t.Fatal(err)
	}
	body := string(data)
	tests := []struct {
		name    string
		payload string
		wantID  string
		want    error
	}{
		{"unknown field", strings.Replace(body, `"v":1,`, `"v":1,"force":true,`, 1), "c1",
			ErrMalformed},
		{"future version", strings.Replace(body, `"v":1,`, `"v":2,`, 1), "c1",
			ErrUnsupportedVersion},
		{"no id", strings.Replace(body, `"id":"c1",`, ``, 1), "", ErrMalformed},
		{"too large", body + strings.Repeat(" ", MaxPayloadBytes), "", ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd, err := ParseCommand(CmdRefineCentroids, []byte(tt.payload))
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
			if cmd.ID != tt.wantID {
				t.Errorf("id = %q, want %q", cmd.ID, tt.wantID)
			}
			if cmd.Refine != nil {
				t.Error("Refine set on a rejected command")
			}
		})
	}
}

// TestRefineSeedMatchesEncoder checks that the fuzz seed of refine_centroids
// is what EncodeRefine writes now.
func TestRefineSeedMatchesEncoder(t *testing.T) {
	data, err := EncodeRefine("c1", testRefinement())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "commands", CmdRefineCentroids+"-ok.json")
	stored, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v: write the seed with the payload %s", err, data)
	}
	if strings.TrimSpace(string(stored)) != string(data) {
		t.Errorf("%s differs from EncodeRefine's output %s", path, data)
	}
}

func TestCheckSummarySpace(t *testing.T) {
	tests := []struct {
		name  string
		space string
		ok    bool
	}{
		{"absent", "", true},
		{"device name", "d0a5c3e1f2a4b6c8-1280-k8-pca32-w64", true},
		{"too long", strings.Repeat("s", MaxSpaceLen+1), false},
		{"control character", "a\nb", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkSummary(Summary{Space: tt.space})
			if (err == nil) != tt.ok {
				t.Errorf("checkSummary = %v, want ok %v", err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrMalformed) {
				t.Errorf("err = %v, want ErrMalformed", err)
			}
		})
	}
}
