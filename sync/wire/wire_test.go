package wire

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func sampleSummary() Summary {
	score := 0.25
	return Summary{
		V: Version, Device: "cam-1", Seq: 7,
		Time:     time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC),
		Model:    Model{Name: "m", SHA256: "ab", Dims: 3},
		Frames:   Counters{Seen: 10, Embedded: 9, Corrupt: 1},
		Quality:  Quality{Sample: 9, Silhouette: &score},
		Clusters: []Cluster{{ID: 2, Count: 9, Centroid: Vector{0.5, -1, 0.1}}},
	}
}

func TestSummaryRoundTrip(t *testing.T) {
	in := sampleSummary()
	data, err := Encode(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := DecodeSummary(data)
	if err != nil {
		t.Fatal(err)
	}
	if out.Device != in.Device || out.Seq != in.Seq || !out.Time.Equal(in.Time) {
		t.Errorf("header changed: got %+v", out)
	}
	if out.Quality.Silhouette == nil || *out.Quality.Silhouette != 0.25 {
		t.Errorf("silhouette %v, want 0.25", out.Quality.Silhouette)
	}
	if out.Quality.DaviesBouldin != nil {
		t.Errorf("davies_bouldin %v, want nil", *out.Quality.DaviesBouldin)
	}
	c := out.Clusters[0].Centroid
	for i, want := range in.Clusters[0].Centroid {
		if math.Abs(float64(c[i]-want)) > 1e-3 {
			t.Errorf("centroid[%d] = %g, want %g", i, c[i], want)
		}
	}
}

func TestDecodeSummaryErrors(t *testing.T) {
	tests := []struct {
		name    string
		payload string
		want    error
	}{
		{"not json", `{"v":1,`, ErrMalformed},
		{"no version", `{"device":"a"}`, ErrMalformed},
		{"future version", `{"v":2,"device":"a"}`, ErrUnsupportedVersion},
		{"bad device", `{"v":1,"device":"a/b"}`, ErrMalformed},
		{"wrong type", `{"v":1,"device":"a","seq":"x"}`, ErrMalformed},
		{"centroid size", `{"v":1,"device":"a","model":{"dims":2},"clusters":[{"centroid":"AAA="}]}`,
			ErrMalformed},
		{"odd centroid bytes", `{"v":1,"device":"a","clusters":[{"centroid":"AAA="}]}`, ErrMalformed},
		{"embedded over seen", `{"v":1,"device":"a","frames":{"seen":1,"embedded":2}}`,
			ErrMalformed},
		{"silhouette range", `{"v":1,"device":"a","quality":{"silhouette":42}}`, ErrMalformed},
		{"negative DB", `{"v":1,"device":"a","clusters":[{"id":1,"davies_bouldin":-7}]}`,
			ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeSummary([]byte(tt.payload))
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestParseTopic(t *testing.T) {
	tests := []struct {
		topic, device, kind string
		ok                  bool
	}{
		{"site/a/cam-1/summary", "cam-1", "summary", true},
		{"site/a/cam-1/cmd/label", "", "", false},
		{"other/cam-1/summary", "", "", false},
		{"site/a//summary", "", "", false},
	}
	for _, tt := range tests {
		device, kind, err := ParseTopic("site/a", tt.topic)
		if (err == nil) != tt.ok || device != tt.device || kind != tt.kind {
			t.Errorf("ParseTopic(%q) = %q, %q, %v; want %q, %q, ok=%v",
				tt.topic, device, kind, err, tt.device, tt.kind, tt.ok)
		}
	}
}

func TestValidDeviceID(t *testing.T) {
	tests := []struct {
		id   string
		want bool
	}{
		{"cam-1", true}, {"a.b_c", true}, {"", false}, {"a/b", false}, {"a+", false},
		{"#", false}, {string(make([]byte, 65)), false}, {".", false}, {"..", false},
		{"a..b", true},
	}
	for _, tt := range tests {
		if got := ValidDeviceID(tt.id); got != tt.want {
			t.Errorf("ValidDeviceID(%q) = %v, want %v", tt.id, got, tt.want)
		}
	}
}

func FuzzDecodeSummary(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	more, _ := filepath.Glob(filepath.Join("testdata", "summaries", "*.json"))
	for _, p := range append(seeds, more...) {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := DecodeSummary(data)
		if err != nil {
			return
		}
		if !ValidDeviceID(s.Device) {
			t.Fatalf("accepted device id %q", s.Device)
		}
		for _, c := range s.Clusters {
			if len(c.Exemplars) > MaxClusterExemplars || checkFinite(c.Centroid, "") != nil {
				t.Fatalf("accepted cluster %d with %d exemplars, centroid %v", c.ID,
					len(c.Exemplars), c.Centroid)
			}
		}
		if _, err := Encode(s); err != nil {
			t.Fatalf("decoded summary does not encode: %v", err)
		}
	})
}

func TestDecodeStatusState(t *testing.T) {
	tests := []struct {
		state string
		ok    bool
	}{{"online", true}, {"offline", true}, {"banana", false}, {"", false}}
	for _, tt := range tests {
		_, err := DecodeStatus([]byte(`{"v":1,"device":"a","state":"` + tt.state + `"}`))
		if (err == nil) != tt.ok {
			t.Errorf("state %q: err %v, want ok=%v", tt.state, err, tt.ok)
		}
	}
}

func TestDecodeSummaryClusterLimit(t *testing.T) {
	s := Summary{V: Version, Device: "a", Clusters: make([]Cluster, MaxClusters+1)}
	data, err := Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := DecodeSummary(data); !errors.Is(err, ErrMalformed) {
		t.Errorf("err %v, want ErrMalformed for %d clusters", err, MaxClusters+1)
	}
}
