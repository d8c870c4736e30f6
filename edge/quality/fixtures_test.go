package quality

import (
	"encoding/json"
	"math"
	"os"
	"strconv"
	"testing"
)

// tolerance is the maximum difference allowed from scikit-learn's values.
const tolerance = 1e-9

type fixture struct {
	Name                    string             `json:"name"`
	Points                  [][]float64        `json:"points"`
	Truth                   []int              `json:"truth"`
	Labels                  []int              `json:"labels"`
	Silhouette              float64            `json:"silhouette"`
	SilhouettePerCluster    map[string]float64 `json:"silhouette_per_cluster"`
	DaviesBouldin           float64            `json:"davies_bouldin"`
	DaviesBouldinPerCluster map[string]float64 `json:"davies_bouldin_per_cluster"`
	NMI                     float64            `json:"nmi"`
	ARI                     float64            `json:"ari"`
	Accuracy                float64            `json:"accuracy"`
	CalinskiHarabasz        float64            `json:"calinski_harabasz"`
	Inertia                 float64            `json:"inertia"`
	KMeansInertia           *float64           `json:"kmeans_inertia"`
}

// loadFixtures reads testdata/fixtures.json, written by make_fixtures.py.
func loadFixtures(tb testing.TB) []fixture {
	tb.Helper()
	data, err := os.ReadFile("testdata/fixtures.json")
	if err != nil {
		tb.Fatal(err)
	}

	var document struct{ Fixtures []fixture }
	if err := json.Unmarshal(data, &document); err != nil {
		tb.Fatal(err)
	}
	if len(document.Fixtures) == 0 {
		tb.Fatal("testdata/fixtures.json contains no fixtures")
	}
	return document.Fixtures
}

func (f fixture) float32Points(tb testing.TB) [][]float32 {
	tb.Helper()
	out := make([][]float32, len(f.Points))
	for i, p := range f.Points {
		out[i] = make([]float32, len(p))
		for j, v := range p {
			out[i][j] = float32(v)
			if float64(out[i][j]) != v {
				tb.Fatalf("%s: point %d coordinate %d = %v is not a float32 value", f.Name, i, j, v)
			}
		}
	}
	return out
}

func assertClose(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > tolerance {
		t.Errorf("%s = %.15g, want %.15g (scikit-learn)", what, got, want)
	}
}

func assertPerCluster(t *testing.T, what string, got map[int]float64, want map[string]float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s has %d clusters, want %d", what, len(got), len(want))
	}
	for key, w := range want {
		label, err := strconv.Atoi(key)
		if err != nil {
			t.Fatal(err)
		}
		assertClose(t, what+"["+key+"]", got[label], w)
	}
}

func TestSilhouetteMatchesSklearn(t *testing.T) {
	for _, f := range loadFixtures(t) {
		t.Run(f.Name, func(t *testing.T) {
			got, err := Silhouette(f.float32Points(t), f.Labels)
			if err != nil {
				t.Fatal(err)
			}
			assertClose(t, "Overall", got.Overall, f.Silhouette)
			assertPerCluster(t, "PerCluster", got.PerCluster, f.SilhouettePerCluster)
		})
	}
}

func TestDaviesBouldinMatchesSklearn(t *testing.T) {
	for _, f := range loadFixtures(t) {
		t.Run(f.Name, func(t *testing.T) {
			got, err := DaviesBouldin(f.float32Points(t), f.Labels)
			if err != nil {
				t.Fatal(err)
			}
			assertClose(t, "Overall", got.Overall, f.DaviesBouldin)
			assertPerCluster(t, "PerCluster", got.PerCluster, f.DaviesBouldinPerCluster)
		})
	}
}

func TestNMIMatchesSklearn(t *testing.T) {
	for _, f := range loadFixtures(t) {
		t.Run(f.Name, func(t *testing.T) {
			assertClose(t, "NMI", NMI(f.Truth, f.Labels), f.NMI)
		})
	}
}

func TestARIMatchesSklearn(t *testing.T) {
	for _, f := range loadFixtures(t) {
		t.Run(f.Name, func(t *testing.T) {
			assertClose(t, "ARI", ARI(f.Truth, f.Labels), f.ARI)
		})
	}
}

func TestAccuracyMatchesScipy(t *testing.T) {
	for _, f := range loadFixtures(t) {
		t.Run(f.Name, func(t *testing.T) {
			assertClose(t, "Accuracy", Accuracy(f.Truth, f.Labels), f.Accuracy)
		})
	}
}

func TestCalinskiHarabaszMatchesSklearn(t *testing.T) {
	for _, f := range loadFixtures(t) {
		t.Run(f.Name, func(t *testing.T) {
			got, err := CalinskiHarabasz(f.float32Points(t), f.Labels)
			if err != nil {
				t.Fatal(err)
			}
			assertRelative(t, "CalinskiHarabasz", got, f.CalinskiHarabasz)
		})
	}
}

func TestInertiaMatchesSklearn(t *testing.T) {
	for _, f := range loadFixtures(t) {
		t.Run(f.Name, func(t *testing.T) {
			got, err := Inertia(f.float32Points(t), f.Labels)
			if err != nil {
				t.Fatal(err)
			}
			assertRelative(t, "Inertia", got, f.Inertia)
			if f.KMeansInertia != nil {
				assertRelative(t, "Inertia vs KMeans.inertia_", got, *f.KMeansInertia)
			}
		})
	}
}

// assertRelative compares values that scale with the data, such as sums of
// squares, to within tolerance relative to the expected value.
func assertRelative(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > tolerance*max(1, math.Abs(want)) {
		t.Errorf("%s = %.15g, want %.15g (scikit-learn)", what, got, want)
	}
}
