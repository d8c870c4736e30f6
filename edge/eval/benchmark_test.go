package eval

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const peerScript = "../../scripts/eval_sklearn.py"

var quiet = slog.New(slog.DiscardHandler)

func loadScenesTestdata(t *testing.T) Dataset {
	t.Helper()
	ds, err := LoadScenes("testdata/scenes.f32", "testdata/scenes.json",
		"../../demo/scenes.manifest.csv")
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func TestLoadScenes(t *testing.T) {
	ds := loadScenesTestdata(t)
	if len(ds.Points) != 465 || len(ds.Points[0]) != 1280 {
		t.Errorf("shape = %d x %d, want 465 x 1280", len(ds.Points), len(ds.Points[0]))
	}
	if ds.K != 8 {
		t.Errorf("K = %d, want 8 scenes", ds.K)
	}
	if !ds.Ordered {
		t.Error("scene clip is not marked as time-ordered")
	}
}

func TestLoadDigits(t *testing.T) {
	ds, err := LoadDigits("testdata/digits.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Points) != 1797 || len(ds.Points[0]) != 64 {
		t.Errorf("shape = %d x %d, want 1797 x 64", len(ds.Points), len(ds.Points[0]))
	}
	if ds.K != 10 || ds.Ordered {
		t.Errorf("K, Ordered = %d, %v, want 10, false", ds.K, ds.Ordered)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	short := filepath.Join(dir, "short.f32")
	if err := os.WriteFile(short, make([]byte, 10), 0o644); err != nil {
		t.Fatal(err)
	}
	badCSV := filepath.Join(dir, "digits.csv")
	if err := os.WriteFile(badCSV, []byte("label,p0\n3,x\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	if _, err := readFloat32Rows(short, 2, 4); !errors.Is(err, ErrFormat) {
		t.Errorf("short embeddings file: error = %v, want ErrFormat", err)
	}
	if _, err := LoadDigits(badCSV); !errors.Is(err, ErrFormat) {
		t.Errorf("non-numeric pixel: error = %v, want ErrFormat", err)
	}
	if _, err := LoadMNIST(dir, 10); err == nil {
		t.Error("LoadMNIST on a folder without MNIST files succeeded")
	}
}

// TestEvaluateScenes runs every method on the cached scene embeddings.
func TestEvaluateScenes(t *testing.T) {
	rows, version, err := Evaluate(context.Background(), loadScenesTestdata(t),
		Options{PeerScript: peerScript, Runs: 2, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	if version == "" {
		t.Error("scikit-learn version is empty")
	}
	assertMethods(t, rows, MethodStreaming, MethodBatch, PeerMiniBatch, "sklearn KMeans")
	assertScoreRanges(t, rows)
	for _, r := range rows {
		if r.Runs != 2 {
			t.Errorf("%s: Runs = %d, want 2", r.Method, r.Runs)
		}
	}

	stream, _ := find(rows, "scenes clip CNN", MethodStreaming)
	if stream.NMI < MinSceneNMI {
		t.Errorf("streaming NMI = %.4f, want >= %.2f", stream.NMI, MinSceneNMI)
	}
}

// TestEvaluateDigits checks the batch fit against scikit-learn's KMeans and
// bounds the streaming inertia on the digits data set.
func TestEvaluateDigits(t *testing.T) {
	ds, err := LoadDigits("testdata/digits.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, _, err := Evaluate(context.Background(), ds, Options{PeerScript: peerScript, Runs: 1,
		Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	assertScoreRanges(t, rows)

	stream, _ := find(rows, ds.Name, MethodStreaming)
	batch, _ := find(rows, ds.Name, MethodBatch)
	peer, _ := find(rows, ds.Name, "sklearn KMeans")
	if batch.Inertia > 1.01*peer.Inertia {
		t.Errorf("batch inertia = %.6g, want <= 1.01 x scikit-learn KMeans %.6g",
			batch.Inertia, peer.Inertia)
	}
	if ratio := stream.Inertia / batch.Inertia; ratio > MaxInertiaRatio {
		t.Errorf("streaming inertia = %.4f x batch, want <= %.2f", ratio, MaxInertiaRatio)
	}
}

func assertMethods(t *testing.T, rows []Row, want ...string) {
	t.Helper()
	if len(rows) != len(want) {
		t.Fatalf("got %d rows, want %d", len(rows), len(want))
	}
	for i, r := range rows {
		if r.Method != want[i] {
			t.Errorf("row %d method = %q, want %q", i, r.Method, want[i])
		}
	}
}

func assertScoreRanges(t *testing.T, rows []Row) {
	t.Helper()
	for _, r := range rows {
		for name, v := range map[string]float64{"ACC": r.ACC, "NMI": r.NMI} {
			if v < 0 || v > 1+1e-12 || math.IsNaN(v) {
				t.Errorf("%s %s = %v, want a value in [0, 1]", r.Method, name, v)
			}
		}
		if r.ARI < -1 || r.ARI > 1 || r.Silhouette < -1 || r.Silhouette > 1 {
			t.Errorf("%s ARI, silhouette = %v, %v, want values in [-1, 1]",
				r.Method, r.ARI, r.Silhouette)
		}
		if r.Inertia <= 0 || r.Seconds <= 0 {
			t.Errorf("%s inertia, seconds = %v, %v, want positive values",
				r.Method, r.Inertia, r.Seconds)
		}
	}
}

func TestCheckGoals(t *testing.T) {
	rows := []Row{
		{Dataset: "clip", Method: MethodStreaming, NMI: 0.95, ACC: 0.9, Inertia: 103, ARI: 1},
		{Dataset: "clip", Method: MethodBatch, NMI: 0.97, Inertia: 100},
		{Dataset: "clip", Method: PeerMiniBatch, NMI: 0.9, ACC: 0.95, Inertia: 104,
			ARI: 1 + 1e-15},
	}
	goals := CheckGoals(rows, map[string]bool{"clip": true})
	want := map[string]bool{
		"streaming J <= 1.02 x batch J":              false,
		"streaming NMI >= 0.90":                      true,
		"streaming ACC mean >= MiniBatchKMeans'":     false,
		"streaming NMI mean >= MiniBatchKMeans'":     true,
		"streaming ARI mean >= MiniBatchKMeans'":     true,
		"streaming inertia mean <= MiniBatchKMeans'": true,
	}
	for _, g := range goals {
		if w, ok := want[g.Name]; ok && g.Met != w {
			t.Errorf("%s: Met = %v, want %v (%s)", g.Name, g.Met, w, g.Detail)
		}
		delete(want, g.Name)
	}
	for name := range want {
		t.Errorf("goal %q missing", name)
	}
}

func TestGoalStandardError(t *testing.T) {
	tests := []struct {
		name       string
		runs       int
		sdOurs     float64
		sdPeer     float64
		wantDetail string
	}{
		{"one run", 1, 0, 0, "0.5000 vs 0.6000"},
		{"four runs", 4, 0.06, 0.08,
			"0.5000 vs 0.6000, difference -0.1000, standard error 0.0500"},
		{"equal runs", 3, 0, 0, "0.5000 vs 0.6000, difference -0.1000, standard error 0.0000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := []Row{
				{Dataset: "d", Method: MethodStreaming, ACC: 0.5, Inertia: 1, Runs: tt.runs,
					SD: Spread{ACC: tt.sdOurs}},
				{Dataset: "d", Method: MethodBatch, Inertia: 1, Runs: tt.runs},
				{Dataset: "d", Method: PeerMiniBatch, ACC: 0.6, Inertia: 1, Runs: tt.runs,
					SD: Spread{ACC: tt.sdPeer}},
			}
			for _, g := range CheckGoals(rows, nil) {
				if g.Name == "streaming ACC mean >= MiniBatchKMeans'" && g.Detail != tt.wantDetail {
					t.Errorf("Detail = %q, want %q", g.Detail, tt.wantDetail)
				}
			}
		})
	}
}

func TestWriteSection(t *testing.T) {
	tests := []struct {
		name    string
		initial string
		want    string
		wantErr error
	}{
		{"append", "# Benchmarks\n", "# Benchmarks\n\n## Eval\n\n" + sectionBegin + "\nnew\n" +
			sectionEnd + "\n", nil},
		{"replace", "a\n" + sectionBegin + "\nold\n" + sectionEnd + "\nb\n",
			"a\n" + sectionBegin + "\nnew\n" + sectionEnd + "\nb\n", nil},
		{"one marker", "a\n" + sectionBegin + "\n", "", ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "BENCHMARKS.md")
			if err := os.WriteFile(path, []byte(tt.initial), 0o644); err != nil {
				t.Fatal(err)
			}
			err := WriteSection(path, "## Eval", "new\n")
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			got, _ := os.ReadFile(path)
			if tt.wantErr == nil && string(got) != tt.want {
				t.Errorf("file = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWriteTableRatio(t *testing.T) {
	rows := []Row{
		{Dataset: "d", Method: MethodBatch, Inertia: 200},
		{Dataset: "d", Method: MethodStreaming, Inertia: 204, Silhouette: 0.5,
			SilhouetteStdErr: 0.01},
	}
	var b strings.Builder
	if err := WriteTable(&b, rows); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "| 1.0200 |") {
		t.Errorf("table lacks the inertia ratio 1.0200:\n%s", b.String())
	}
	if !strings.Contains(b.String(), "0.5000 ± 0.0196") {
		t.Errorf("table lacks the sampled silhouette with its 95%% half-width:\n%s", b.String())
	}
}

func TestSummarize(t *testing.T) {
	tests := []struct {
		name     string
		runs     []Row
		wantMean Row
		wantSD   Spread
	}{
		{"one run", []Row{{Method: "m", ACC: 0.5, NMI: 0.4, Inertia: 10, Seconds: 2}},
			Row{Method: "m", Runs: 1, ACC: 0.5, NMI: 0.4, Inertia: 10, Seconds: 2}, Spread{}},
		{"two runs", []Row{
			{Method: "m", ACC: 0.5, ARI: 0.1, Silhouette: 0.2, Inertia: 10, Seconds: 1},
			{Method: "m", ACC: 0.7, ARI: 0.3, Silhouette: 0.2, Inertia: 14, Seconds: 3},
		}, Row{Method: "m", Runs: 2, ACC: 0.6, ARI: 0.2, Silhouette: 0.2, Inertia: 12, Seconds: 2},
			Spread{ACC: math.Sqrt(0.02), ARI: math.Sqrt(0.02), Inertia: math.Sqrt(8)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summarize(tt.runs)
			gotSD := got.SD
			got.SD = Spread{}
			const eps = 1e-12
			if got.Runs != tt.wantMean.Runs || got.Method != tt.wantMean.Method {
				t.Errorf("Runs, Method = %d, %q, want %d, %q", got.Runs, got.Method,
					tt.wantMean.Runs, tt.wantMean.Method)
			}
			pairs := [][2]float64{{got.ACC, tt.wantMean.ACC}, {got.NMI, tt.wantMean.NMI},
				{got.ARI, tt.wantMean.ARI}, {got.Silhouette, tt.wantMean.Silhouette},
				{got.Inertia, tt.wantMean.Inertia}, {got.Seconds, tt.wantMean.Seconds},
				{gotSD.ACC, tt.wantSD.ACC}, {gotSD.ARI, tt.wantSD.ARI},
				{gotSD.Silhouette, tt.wantSD.Silhouette}, {gotSD.Inertia, tt.wantSD.Inertia}}
			for i, p := range pairs {
				if math.Abs(p[0]-p[1]) > eps {
					t.Errorf("value %d = %v, want %v", i, p[0], p[1])
				}
			}
		})
	}
}

func TestWriteTableRuns(t *testing.T) {
	rows := []Row{
		{Dataset: "d", Method: MethodBatch, Runs: 5, ACC: 0.5, Inertia: 200,
			SD: Spread{ACC: 0.0123, Inertia: 4}},
	}
	var b strings.Builder
	if err := WriteTable(&b, rows); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| 5 |", "| 0.5000 ± 0.0123 |", "| 200 ± 4 |"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
	}
}
