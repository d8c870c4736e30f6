package eval

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"

	"github.com/edgecluster/edgecluster/edge/quality"
)

// ErrFormat marks a manifest or assignments file that cannot be read.
var ErrFormat = errors.New("eval: invalid input")

// ClusterRow describes one cluster of a Report.
type ClusterRow struct {
	ID int
	// Frames is the number of frames assigned to the cluster.
	Frames int
	// Scene is the most frequent true scene among those frames and Purity
	// the fraction of the cluster's frames that show it.
	Scene  string
	Purity float64
}

// Report compares assignments with true scenes.
type Report struct {
	Frames   int
	Scenes   int
	Clusters []ClusterRow
	NMI      float64
}

// ReadManifest reads a CSV with a header holding "frame" and "scene"
// columns and returns the scene of each frame.
func ReadManifest(r io.Reader) (map[uint64]string, error) {
	rows, err := csv.NewReader(r).ReadAll()
	if err != nil || len(rows) < 2 {
		return nil, fmt.Errorf("%w: manifest: need a header and rows: %v", ErrFormat, err)
	}
	fc, sc := column(rows[0], "frame"), column(rows[0], "scene")
	if fc < 0 || sc < 0 {
		return nil, fmt.Errorf("%w: manifest header %v lacks frame or scene", ErrFormat, rows[0])
	}
	out := make(map[uint64]string, len(rows)-1)
	for i, row := range rows[1:] {
		frame, err := strconv.ParseUint(row[fc], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%w: manifest row %d: frame %q", ErrFormat, i+2, row[fc])
		}
		out[frame] = row[sc]
	}
	return out, nil
}

func column(header []string, name string) int {
	for i, h := range header {
		if h == name {
			return i
		}
	}
	return -1
}

// ReadAssignments reads "frame,cluster[,distance]" lines without a header.
func ReadAssignments(r io.Reader) (map[uint64]int, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%w: assignments: %v", ErrFormat, err)
	}
	out := make(map[uint64]int, len(rows))
	for i, row := range rows {
		if len(row) < 2 {
			return nil, fmt.Errorf("%w: assignments line %d has %d fields", ErrFormat, i+1, len(row))
		}
		frame, err1 := strconv.ParseUint(row[0], 10, 64)
		id, err2 := strconv.Atoi(row[1])
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("%w: assignments line %d: %v", ErrFormat, i+1, err)
		}
		out[frame] = id
	}
	return out, nil
}

// Compare builds a Report over the frames present in both maps.
func Compare(scenes map[uint64]string, assigned map[uint64]int) Report {
	frames := make([]uint64, 0, len(assigned))
	for f := range assigned {
		if _, ok := scenes[f]; ok {
			frames = append(frames, f)
		}
	}
	sort.Slice(frames, func(i, j int) bool { return frames[i] < frames[j] })

	sceneIDs := map[string]int{}
	truth := make([]int, len(frames))
	pred := make([]int, len(frames))
	counts := map[int]map[string]int{}
	for i, f := range frames {
		s, c := scenes[f], assigned[f]
		if _, ok := sceneIDs[s]; !ok {
			sceneIDs[s] = len(sceneIDs)
		}
		truth[i], pred[i] = sceneIDs[s], c
		if counts[c] == nil {
			counts[c] = map[string]int{}
		}
		counts[c][s]++
	}
	rep := Report{Frames: len(frames), Scenes: len(sceneIDs), Clusters: rows(counts)}
	if len(frames) > 0 {
		rep.NMI = quality.NMI(truth, pred)
	}
	return rep
}

func rows(counts map[int]map[string]int) []ClusterRow {
	var out []ClusterRow
	for id, byScene := range counts {
		row := ClusterRow{ID: id}
		best := 0
		for scene, n := range byScene {
			row.Frames += n
			if n > best || (n == best && scene < row.Scene) {
				best, row.Scene = n, scene
			}
		}
		row.Purity = float64(best) / float64(row.Frames)
		out = append(out, row)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Remap returns assigned with every cluster id found in into replaced by its
// image, as when clusters have merged since the frames were assigned.
func Remap(assigned map[uint64]int, into map[int]int) map[uint64]int {
	out := make(map[uint64]int, len(assigned))
	for frame, id := range assigned {
		if to, ok := into[id]; ok {
			id = to
		}
		out[frame] = id
	}
	return out
}
