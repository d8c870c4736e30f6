package dec

import (
	"fmt"
	"math"
	"slices"

	"github.com/edgecluster/edgecluster/edge/nn"
)

// Default values of the zero RefineConfig fields.
const (
	// DefaultRefineSteps bounds the Adam steps of one Refine call.
	DefaultRefineSteps = 200

	// DefaultRefineInterval is the number of steps between two target
	// updates.
	DefaultRefineInterval = 10

	// DefaultRefineRate is the Adam step size as a fraction of the
	// samples' spread, the root mean square of their per-dimension
	// standard deviations. On the digits data set, streaming centroids
	// refined at 0.002 kept ACC within 0.005 of the start, while 0.01
	// lost up to 0.026 (TestRefineDigitsQuality and BENCHMARKS.md).
	DefaultRefineRate = 0.002
)

// RefineConfig sets Refine. A zero field takes the default stated on it.
type RefineConfig struct {
	Alpha float64 // degrees of freedom of the Student-t kernel, default DefaultAlpha

	// UpdateInterval is the number of steps between two target updates,
	// default DefaultRefineInterval.
	UpdateInterval int

	// Tolerance stops refinement when at most this fraction of the samples
	// changes cluster between two target updates, default
	// DefaultTolerance.
	Tolerance float64

	MaxSteps int // maximum Adam steps, default DefaultRefineSteps

	// LearningRate is the Adam step size in the units of the samples.
	// 0 means DefaultRefineRate times the samples' spread.
	LearningRate float64

	// Continue, when not nil, is called before each step, and Refine
	// stops when it returns false. Callers bound the CPU time of a run
	// with it.
	Continue func() bool
}

// RefineResult is the outcome of Refine.
type RefineResult struct {
	Centroids [][]float64 // refined centers, in the order given
	Labels    []int       // index of each sample's centroid, the argmax of Q
	Steps     int         // Adam steps run
	Stopped   bool        // true when Continue stopped refinement

	// Converged is true when Tolerance stopped refinement. Centroids are
	// then those from before the last interval, whose move changed no more
	// labels than Tolerance allows, so an input that is already stable
	// comes back unchanged.
	Converged bool

	// Intervals lists every interval run, including the last one whose move
	// Converged dropped.
	Intervals []Interval
}

// Refine runs DEC on samples with the identity as encoder: it moves the
// given centroids, and nothing else, to lower KL(P‖Q) between the target
// distribution P and the Student-t soft assignments Q. Each step is one
// full-batch Adam step on every centroid, and P is recomputed every
// UpdateInterval steps.
//
// Refine suits a few unlabelled samples per cluster, such as stored
// exemplar embeddings, in the space where the centroids already live. An
// autoencoder trained on so few samples would overfit, and centroids in
// its code space could not replace those of the original space. Centroids
// keep their order, so the caller's cluster ids stay attached.
//
// Refine returns an error wrapping ErrInvalidInput for empty or ragged
// input and non-finite values, and ErrDiverged when the loss stops being
// finite.
func Refine(samples, centroids [][]float64, cfg RefineConfig) (RefineResult, error) {
	if err := checkRefineInput(samples, centroids); err != nil {
		return RefineResult{}, err
	}
	cfg, err := cfg.withDefaults(samples)
	if err != nil {
		return RefineResult{}, err
	}
	r := &refineRun{cfg: cfg, kernel: newRefineKernel(samples, cfg.Alpha),
		centroids: cloneRows(centroids), opt: &nn.Adam{LearningRate: cfg.LearningRate}}
	return r.loop()
}

func (c RefineConfig) withDefaults(samples [][]float64) (RefineConfig, error) {
	if c.Alpha < 0 || c.Tolerance < 0 || c.UpdateInterval < 0 || c.MaxSteps < 0 ||
		c.LearningRate < 0 {
		return c, fmt.Errorf("%w: alpha %v, tolerance %v, update interval %d, max steps %d "+
			"and learning rate %v must not be negative", ErrInvalidInput, c.Alpha,
			c.Tolerance, c.UpdateInterval, c.MaxSteps, c.LearningRate)
	}
	c.Alpha = orDefault(c.Alpha, DefaultAlpha)
	c.Tolerance = orDefault(c.Tolerance, DefaultTolerance)
	c.UpdateInterval = cmp(c.UpdateInterval, DefaultRefineInterval)
	c.MaxSteps = cmp(c.MaxSteps, DefaultRefineSteps)
	if c.LearningRate == 0 {
		c.LearningRate = DefaultRefineRate * spread(samples)
	}
	if c.LearningRate == 0 {
		c.LearningRate = nn.DefaultLearningRate // every sample is the same vector
	}
	return c, nil
}

func checkRefineInput(samples, centroids [][]float64) error {
	if len(samples) == 0 || len(centroids) == 0 {
		return fmt.Errorf("%w: %d samples and %d centroids; refinement needs at least one of "+
			"each", ErrInvalidInput, len(samples), len(centroids))
	}
	width := len(centroids[0])
	if width == 0 {
		return fmt.Errorf("%w: centroids have no values", ErrInvalidInput)
	}
	if err := checkRows("centroid", centroids, width); err != nil {
		return err
	}
	return checkRows("sample", samples, width)
}

// checkRows rejects a row of another width than width or with a value that
// is not finite.
func checkRows(what string, rows [][]float64, width int) error {
	for i, row := range rows {
		if len(row) != width {
			return fmt.Errorf("%w: %s %d has %d values, centroids have %d", ErrInvalidInput,
				what, i, len(row), width)
		}
		for d, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("%w: %s %d value %d is %v, want a finite number",
					ErrInvalidInput, what, i, d, v)
			}
		}
	}
	return nil
}

// spread returns the root mean square of the per-dimension standard
// deviations of samples.
func spread(samples [][]float64) float64 {
	n := float64(len(samples))
	var total float64
	for d := range samples[0] {
		var sum, sq float64
		for _, s := range samples {
			sum += s[d]
			sq += s[d] * s[d]
		}
		mean := sum / n
		total += max(0, sq/n-mean*mean)
	}
	return math.Sqrt(total / float64(len(samples[0])))
}

func cloneRows(rows [][]float64) [][]float64 {
	out := make([][]float64, len(rows))
	for i, r := range rows {
		out[i] = slices.Clone(r)
	}
	return out
}

// refineRun is the state of one Refine call.
type refineRun struct {
	cfg       RefineConfig
	kernel    *refineKernel
	centroids [][]float64
	opt       *nn.Adam
	target    [][]float64
}

func (r *refineRun) loop() (RefineResult, error) {
	var res RefineResult
	var labels []int
	var before [][]float64 // centroids at the start of the open interval
	for {
		q, kernel := r.kernel.assign(r.centroids)
		if err := r.closeInterval(&res, q); err != nil {
			return res, err
		}
		changed := changedFraction(labels, q)
		labels = hardLabels(q)
		if res.Stopped {
			break
		}
		if res.Steps > 0 && changed <= r.cfg.Tolerance {
			// The last interval changed no partition, so its move is
			// dropped. Adam steps are about LearningRate per dimension
			// however small the gradient, and keeping them let repeated
			// runs over the same samples drift without end.
			r.centroids, res.Converged = before, true
			break
		}
		if res.Steps >= r.cfg.MaxSteps {
			break
		}
		r.target = targetDistribution(q)
		res.Intervals = append(res.Intervals,
			Interval{KLStart: klDivergence(r.target, q), Changed: changed})
		before = cloneRows(r.centroids)
		res.Stopped = !r.runInterval(&res, q, kernel)
	}
	res.Labels, res.Centroids = labels, r.centroids
	return res, nil
}

// closeInterval sets the end loss of the open interval from q.
func (r *refineRun) closeInterval(res *RefineResult, q [][]float64) error {
	if len(res.Intervals) == 0 {
		return nil
	}
	last := &res.Intervals[len(res.Intervals)-1]
	last.KLEnd = klDivergence(r.target, q)
	if math.IsNaN(last.KLEnd) || math.IsInf(last.KLEnd, 0) {
		return fmt.Errorf("%w: KL divergence is %v after step %d; scale the samples down "+
			"or lower the learning rate", ErrDiverged, last.KLEnd, res.Steps)
	}
	return nil
}

// runInterval runs up to UpdateInterval steps against the current target,
// starting from the soft assignments q and kernel of the current
// centroids. It returns false when Continue stopped it.
func (r *refineRun) runInterval(res *RefineResult, q, kernel [][]float64) bool {
	for i := 0; i < r.cfg.UpdateInterval && res.Steps < r.cfg.MaxSteps; i++ {
		if r.cfg.Continue != nil && !r.cfg.Continue() {
			return false
		}
		if i > 0 {
			q, kernel = r.kernel.assign(r.centroids)
		}
		grads := r.kernel.gradients(r.centroids, r.target, q, kernel)
		params := make([]nn.Param, len(r.centroids))
		for j := range r.centroids {
			params[j] = nn.Param{Value: r.centroids[j], Grad: grads[j]}
		}
		r.opt.Step(params)
		res.Steps++
	}
	return true
}
