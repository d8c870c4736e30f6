package dec

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/edgecluster/edgecluster/edge/cluster"
	"github.com/edgecluster/edgecluster/edge/nn"
	"gonum.org/v1/gonum/mat"
)

// Default values of the zero Config fields.
const (
	DefaultAlpha     = 1.0
	DefaultGamma     = 0.1
	DefaultTolerance = 0.001
	DefaultMaxIter   = 2000
	DefaultKMeansRun = 10
)

// Config sets DEC and IDEC clustering. A zero field takes its Default.
type Config struct {
	K     int     // number of clusters, required
	Alpha float64 // degrees of freedom of the Student-t kernel
	// IDEC keeps the decoder's reconstruction loss in the objective, which
	// becomes reconstruction MSE + Gamma·KL(P‖Q). Without it the decoder
	// is unused and the objective is KL(P‖Q).
	IDEC  bool
	Gamma float64
	// UpdateInterval is the number of mini-batches between two target
	// updates, default one pass over the samples.
	UpdateInterval int
	// Tolerance stops training when at most this fraction of the samples
	// changes cluster between two target updates.
	Tolerance    float64
	MaxIter      int     // maximum mini-batches
	BatchSize    int     // samples per mini-batch, default DefaultBatchSize
	LearningRate float64 // Adam step size, default nn.DefaultLearningRate
	Seed         uint64  // seed of k-means and the batch order
	// Centroids, when not nil, are the K initial cluster centers in code
	// space, such as the mean codes of a clustering found elsewhere. nil
	// runs k-means on the codes.
	Centroids [][]float64
}

// Interval records one span between target updates.
type Interval struct {
	// KLStart and KLEnd are KL(P‖Q) over all samples for the span's target
	// P, with Q before and after the span's mini-batches.
	KLStart, KLEnd float64
	// Changed is the fraction of samples whose cluster changed at the
	// target update that opened the span.
	Changed float64
}

// Result is the outcome of Cluster.
type Result struct {
	Labels     []int       // cluster of each sample, the argmax of Q
	Centroids  [][]float64 // cluster centers in code space
	Iterations int         // mini-batches run
	Converged  bool        // true when Tolerance stopped training
	Intervals  []Interval
}

func (c Config) withDefaults(n int) (Config, error) {
	switch {
	case n == 0:
		return c, fmt.Errorf("%w: no samples", ErrInvalidInput)
	case c.K < 1:
		return c, fmt.Errorf("%w: k %d is below 1; use k between 1 and %d", ErrInvalidInput,
			c.K, n)
	case c.K > n:
		return c, fmt.Errorf("%w: k %d is more than the %d samples; use k between 1 and %d",
			ErrInvalidInput, c.K, n, n)
	}
	if c.Alpha < 0 || c.Gamma < 0 || c.Tolerance < 0 ||
		c.UpdateInterval < 0 || c.MaxIter < 0 || c.BatchSize < 0 || c.LearningRate < 0 {
		return c, fmt.Errorf("%w: alpha %v, gamma %v, tolerance %v, update interval %d, "+
			"max iterations %d, batch size %d and learning rate %v must not be negative",
			ErrInvalidInput, c.Alpha, c.Gamma, c.Tolerance, c.UpdateInterval, c.MaxIter,
			c.BatchSize, c.LearningRate)
	}
	c.Alpha = orDefault(c.Alpha, DefaultAlpha)
	c.Gamma = orDefault(c.Gamma, DefaultGamma)
	c.Tolerance = orDefault(c.Tolerance, DefaultTolerance)
	c.MaxIter = cmp(c.MaxIter, DefaultMaxIter)
	c.BatchSize = cmp(c.BatchSize, DefaultBatchSize)
	c.UpdateInterval = cmp(c.UpdateInterval, (n+c.BatchSize-1)/c.BatchSize)
	return c, nil
}

func orDefault(v, fallback float64) float64 {
	if v == 0 {
		return fallback
	}
	return v
}

// Cluster runs DEC, or IDEC when cfg.IDEC is set, on samples with a
// pretrained autoencoder, whose encoder (and decoder for IDEC) it updates.
// DEC accepts an autoencoder without a decoder, as read with LoadEncoder.
func Cluster(ae *Autoencoder, samples [][]float64, cfg Config) (Result, error) {
	cfg, err := cfg.withDefaults(len(samples))
	if err != nil {
		return Result{}, err
	}
	if cfg.IDEC && ae.Decoder == nil {
		return Result{}, fmt.Errorf("%w: IDEC needs the decoder, and the autoencoder "+
			"has none", ErrInvalidInput)
	}
	codes, err := ae.Encode(samples)
	if err != nil {
		return Result{}, err
	}
	centroids, err := initCentroids(codes, cfg)
	if err != nil {
		return Result{}, err
	}
	r := &run{ae: ae, cfg: cfg, x: nn.FromRows(samples), centroids: centroids,
		rng: rand.New(rand.NewPCG(cfg.Seed, 0xdec)), opt: &nn.Adam{LearningRate: cfg.LearningRate}}
	return r.loop(), nil
}

func initCentroids(codes [][]float64, cfg Config) ([][]float64, error) {
	if cfg.Centroids != nil {
		return checkCentroids(cfg.Centroids, cfg.K, len(codes[0]))
	}
	points := make([][]float32, len(codes))
	for i, c := range codes {
		points[i] = make([]float32, len(c))
		for d, v := range c {
			points[i][d] = float32(v)
		}
	}
	km, err := cluster.KMeans(points, cluster.BatchConfig{
		K: cfg.K, NInit: DefaultKMeansRun, Seed: int64(cfg.Seed) + 1})
	if err != nil {
		return nil, fmt.Errorf("dec: k-means on codes: %w", err)
	}
	centroids := zeros(cfg.K, len(codes[0]))
	for j, c := range km.Centroids {
		for d, v := range c {
			centroids[j][d] = float64(v)
		}
	}
	return centroids, nil
}

// checkCentroids returns a copy of the K given centroids of the code width.
func checkCentroids(given [][]float64, k, width int) ([][]float64, error) {
	if len(given) != k {
		return nil, fmt.Errorf("%w: %d initial centroids for K = %d", ErrInvalidInput,
			len(given), k)
	}
	out := make([][]float64, k)
	for j, c := range given {
		if len(c) != width {
			return nil, fmt.Errorf("%w: initial centroid %d has %d values, codes have %d",
				ErrInvalidInput, j, len(c), width)
		}
		out[j] = slices.Clone(c)
	}
	return out, nil
}

// run is the state of one Cluster call.
type run struct {
	ae        *Autoencoder
	cfg       Config
	x         *mat.Dense
	centroids [][]float64
	rng       *rand.Rand
	opt       *nn.Adam
	target    [][]float64
	batches   [][]int
}

func (r *run) loop() Result {
	var res Result
	var labels []int
	for res.Iterations < r.cfg.MaxIter {
		q := r.assign()
		if len(res.Intervals) > 0 {
			res.Intervals[len(res.Intervals)-1].KLEnd = klDivergence(r.target, q)
		}
		changed := changedFraction(labels, q)
		labels = hardLabels(q)
		if res.Iterations > 0 && changed <= r.cfg.Tolerance {
			res.Converged = true
			break
		}
		r.target = targetDistribution(q)
		res.Intervals = append(res.Intervals,
			Interval{KLStart: klDivergence(r.target, q), Changed: changed})
		for range min(r.cfg.UpdateInterval, r.cfg.MaxIter-res.Iterations) {
			r.step(r.nextBatch())
			res.Iterations++
		}
	}
	if !res.Converged {
		q := r.assign()
		res.Intervals[len(res.Intervals)-1].KLEnd = klDivergence(r.target, q)
		labels = hardLabels(q)
	}
	res.Labels, res.Centroids = labels, r.centroids
	return res
}

func (r *run) assign() [][]float64 {
	codes, err := r.ae.Encoder.Forward(r.x)
	if err != nil {
		panic(err) // Encode checked the width in Cluster
	}
	q, _ := softAssign(nn.ToRows(codes), r.centroids, r.cfg.Alpha)
	return q
}

func (r *run) nextBatch() []int {
	if len(r.batches) == 0 {
		rows, _ := r.x.Dims()
		r.batches = nn.Batches(rows, r.cfg.BatchSize, r.rng)
	}
	b := r.batches[0]
	r.batches = r.batches[1:]
	return b
}

// step lowers the objective on one mini-batch of sample indices.
func (r *run) step(idx []int) {
	xb := nn.Gather(r.x, idx)
	z := r.ae.code(xb)
	codes := nn.ToRows(z)
	p := make([][]float64, len(idx))
	for i, k := range idx {
		p[i] = r.target[k]
	}
	q, kernel := softAssign(codes, r.centroids, r.cfg.Alpha)
	dCodes, dCentroids := klGradients(codes, r.centroids, p, q, kernel, r.cfg.Alpha)
	grad := nn.FromRows(dCodes)
	params := r.ae.Encoder.Params()
	r.ae.zeroGrad()
	if r.cfg.IDEC {
		grad.Scale(r.cfg.Gamma, grad)
		scaleRows(dCentroids, r.cfg.Gamma)
		out, err := r.ae.Decoder.Forward(z)
		if err != nil {
			panic(err)
		}
		_, dOut, _ := nn.MSE(out, xb)
		grad.Add(grad, r.ae.Decoder.Backward(dOut))
		params = append(params, r.ae.Decoder.Params()...)
	}
	r.ae.Encoder.Backward(grad)
	for j := range r.centroids {
		params = append(params, nn.Param{Value: r.centroids[j], Grad: dCentroids[j]})
	}
	r.opt.Step(params)
}

// code returns the codes of x, panicking on a width that Cluster ruled out.
func (a *Autoencoder) code(x *mat.Dense) *mat.Dense {
	z, err := a.Encoder.Forward(x)
	if err != nil {
		panic(err)
	}
	return z
}

func scaleRows(rows [][]float64, s float64) {
	for _, r := range rows {
		for i := range r {
			r[i] *= s
		}
	}
}

func hardLabels(q [][]float64) []int {
	labels := make([]int, len(q))
	for i, row := range q {
		labels[i] = argmax(row)
	}
	return labels
}

// changedFraction returns the fraction of prev that differs from the argmax
// of q, or 1 when prev is nil.
func changedFraction(prev []int, q [][]float64) float64 {
	if prev == nil {
		return 1
	}
	changed := 0
	for i, row := range q {
		if argmax(row) != prev[i] {
			changed++
		}
	}
	return float64(changed) / float64(len(q))
}
