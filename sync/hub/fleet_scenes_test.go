package hub

import (
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/edgecluster/edgecluster/edge/eval"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// sceneSegments returns the centroid of every segment of the bundled clip,
// computed from the stored CNN embeddings, with the scene each segment shows.
func sceneSegments(t *testing.T) (centroids []wire.Vector, scenes []string) {
	t.Helper()
	ds, err := eval.LoadScenes("../../edge/eval/testdata/scenes.f32",
		"../../edge/eval/testdata/scenes.json", "../../demo/scenes.manifest.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows := manifestRows(t)

	sums := map[int][]float64{}
	counts := map[int]int{}
	sceneOf := map[int]string{}
	for frame, point := range ds.Points {
		seg, err := strconv.Atoi(rows[frame][2])
		if err != nil {
			t.Fatalf("manifest row of frame %d: %v", frame, err)
		}
		if sums[seg] == nil {
			sums[seg] = make([]float64, len(point))
		}
		for d, v := range point {
			sums[seg][d] += float64(v)
		}
		counts[seg]++
		sceneOf[seg] = rows[frame][1]
	}

	for seg := 0; seg < len(sums); seg++ {
		v := make(wire.Vector, len(sums[seg]))
		for d := range v {
			v[d] = float32(sums[seg][d] / float64(counts[seg]))
		}
		centroids = append(centroids, v)
		scenes = append(scenes, sceneOf[seg])
	}
	return centroids, scenes
}

// manifestRows returns the demo manifest's rows (frame, scene, segment,
// source) without the header, in frame order.
func manifestRows(t *testing.T) [][]string {
	t.Helper()
	f, err := os.Open("../../demo/scenes.manifest.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows[1:]
}

// TestDefaultFleetDistanceOnClip treats every segment of the bundled clip
// as a cluster of its own device: at the default distance, segments of one
// scene join and segments of different scenes stay apart.
func TestDefaultFleetDistanceOnClip(t *testing.T) {
	centroids, scenes := sceneSegments(t)
	var ms []Member
	for i, c := range centroids {
		ms = append(ms, Member{Device: fmt.Sprintf("cam%d", i), Cluster: 0, Centroid: c})
	}
	groups := fleetGroups(map[string][]Member{"m": ms}, DefaultFleetDistance)

	grouped := map[string]int{}
	for _, g := range groups {
		scene := scenes[deviceIndex(t, g.Members[0].Device)]
		for _, m := range g.Members {
			if got := scenes[deviceIndex(t, m.Device)]; got != scene {
				t.Errorf("group joins %s and %s", scene, got)
			}
		}
		grouped[scene]++
	}
	for _, s := range scenes {
		if grouped[s] != 1 {
			t.Errorf("scene %s in %d groups, want 1", s, grouped[s])
		}
	}
}

func deviceIndex(t *testing.T, device string) int {
	t.Helper()
	i, err := strconv.Atoi(device[len("cam"):])
	if err != nil {
		t.Fatal(err)
	}
	return i
}
