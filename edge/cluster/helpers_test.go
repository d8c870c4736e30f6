package cluster

import "math/rand/v2"

// blobVectors returns n vectors of dims elements drawn from k Gaussian blobs
// centered 20 units out along separate axes, cycling through the blobs.
func blobVectors(n, dims, k int) [][]float32 {
	rng := rand.New(rand.NewPCG(3, 4))
	out := make([][]float32, n)
	for i := range out {
		out[i] = make([]float32, dims)
		for d := range out[i] {
			out[i][d] = float32(rng.NormFloat64())
		}
		out[i][(i%k)%dims] += 20
	}
	return out
}
