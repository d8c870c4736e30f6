package eval

import "math"

// DefaultRuns is the Options.Runs used when the field is 0. ACC and ARI on
// MNIST move by several hundredths from one seed to the next, so a single
// run cannot tell two methods apart.
const DefaultRuns = 5

// Spread contains the sample standard deviations of a Row's scores over
// its runs. It is zero for a single run.
type Spread struct {
	ACC, NMI, ARI, Silhouette, DaviesBouldin, Inertia float64
}

// runSeeds returns the seeds of opts.Runs runs: Seed, Seed+1, and so on.
func runSeeds(opts Options) []int64 {
	seeds := make([]int64, opts.Runs)
	for i := range seeds {
		seeds[i] = opts.Seed + int64(i)
	}
	return seeds
}

// summarize folds the rows of one method's runs into one row with the mean
// of each score and field, and the standard deviations in SD.
func summarize(runs []Row) Row {
	out := runs[0]
	out.Runs = len(runs)
	scores := func(r Row) []float64 {
		return []float64{r.ACC, r.NMI, r.ARI, r.Silhouette, r.DaviesBouldin, r.Inertia,
			r.Seconds, r.SilhouetteStdErr}
	}
	n := len(scores(out))
	means, sds := make([]float64, n), make([]float64, n)
	for j := range n {
		values := make([]float64, len(runs))
		for i, r := range runs {
			values[i] = scores(r)[j]
		}
		means[j], sds[j] = meanSD(values)
	}
	out.ACC, out.NMI, out.ARI, out.Silhouette = means[0], means[1], means[2], means[3]
	out.DaviesBouldin, out.Inertia, out.Seconds = means[4], means[5], means[6]
	out.SilhouetteStdErr = means[7]
	out.SD = Spread{ACC: sds[0], NMI: sds[1], ARI: sds[2], Silhouette: sds[3],
		DaviesBouldin: sds[4], Inertia: sds[5]}
	return out
}

// meanSD returns the mean and the sample standard deviation of values, with
// a standard deviation of 0 for fewer than two values.
func meanSD(values []float64) (float64, float64) {
	var sum float64
	for _, v := range values {
		sum += v
	}
	mean := sum / float64(len(values))
	if len(values) < 2 {
		return mean, 0
	}
	var squares float64
	for _, v := range values {
		squares += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(squares / float64(len(values)-1))
}
