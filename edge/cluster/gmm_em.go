package cluster

import (
	"math"

	"gonum.org/v1/gonum/floats"
)

// mixture holds the parameters of a Gaussian mixture and, per component,
// the Cholesky factor of its covariance.
type mixture struct {
	weights     []float64
	means       [][]float64
	covariances [][][]float64
	factors     [][][]float64 // lower triangular L with L·Lᵀ = covariance
	logDets     []float64     // log determinant of each covariance
}

// mStep returns the maximum-likelihood mixture for the responsibilities
// resp, with reg added to each covariance diagonal.
func mStep(points [][]float64, resp [][]float64, reg float64) mixture {
	k, dims := len(resp[0]), len(points[0])
	m := mixture{weights: make([]float64, k)}
	for j := range k {
		mass, mean := weightedMean(points, resp, j)
		m.weights[j] = mass / float64(len(points))
		m.means = append(m.means, mean)
		m.covariances = append(m.covariances, weightedCovariance(points, resp, j, mean, mass, reg))
	}
	for j := range k {
		factor, logDet := choleskyWithJitter(m.covariances[j], reg, dims)
		m.factors = append(m.factors, factor)
		m.logDets = append(m.logDets, logDet)
	}
	return m
}

// weightedMean returns the responsibility mass of component j and the
// responsibility-weighted mean of the points. A small constant keeps the
// mass of an empty component above zero, as scikit-learn does.
func weightedMean(points [][]float64, resp [][]float64, j int) (float64, []float64) {
	mass := 10 * 2.220446049250313e-16
	mean := make([]float64, len(points[0]))
	for i, p := range points {
		r := resp[i][j]
		mass += r
		for d, v := range p {
			mean[d] += r * v
		}
	}
	for d := range mean {
		mean[d] /= mass
	}
	return mass, mean
}

func weightedCovariance(points [][]float64, resp [][]float64, j int, mean []float64,
	mass, reg float64) [][]float64 {
	dims := len(mean)
	cov := make([][]float64, dims)
	for a := range cov {
		cov[a] = make([]float64, dims)
	}
	diff := make([]float64, dims)
	for i, p := range points {
		r := resp[i][j]
		for d, v := range p {
			diff[d] = v - mean[d]
		}
		for a := range dims {
			for b := 0; b <= a; b++ {
				cov[a][b] += r * diff[a] * diff[b]
			}
		}
	}
	for a := range dims {
		for b := 0; b <= a; b++ {
			cov[a][b] /= mass
			cov[b][a] = cov[a][b]
		}
		cov[a][a] += reg
	}
	return cov
}

// choleskyWithJitter factors cov, adding tenfold larger multiples of reg
// (at least 1e-12) to its diagonal until the factorisation succeeds, which
// rounding can prevent for a component that covers a single point.
func choleskyWithJitter(cov [][]float64, reg float64, dims int) ([][]float64, float64) {
	jitter := max(reg, 1e-12)
	for {
		if factor, logDet, ok := cholesky(cov); ok {
			return factor, logDet
		}
		for a := range dims {
			cov[a][a] += jitter
		}
		jitter *= 10
	}
}

// cholesky returns the lower triangular L with L·Lᵀ = a and the log
// determinant of a, or false when a is not positive definite.
func cholesky(a [][]float64) ([][]float64, float64, bool) {
	n := len(a)
	l := make([][]float64, n)
	var logDet float64
	for i := range n {
		l[i] = make([]float64, n)
		for j := 0; j <= i; j++ {
			sum := a[i][j]
			for k := range j {
				sum -= l[i][k] * l[j][k]
			}
			if i == j {
				if !(sum > 0) {
					return nil, 0, false
				}
				l[i][i] = math.Sqrt(sum)
				logDet += 2 * math.Log(l[i][i])
				continue
			}
			l[i][j] = sum / l[j][j]
		}
	}
	return l, logDet, true
}

// eStep fills resp with the posterior probability of each component for
// each point and returns the mean log-likelihood per point.
func eStep(points [][]float64, m mixture, resp [][]float64) float64 {
	dims := len(points[0])
	logNorm := float64(dims) * math.Log(2*math.Pi)
	z := make([]float64, dims)
	var total float64
	for i, p := range points {
		row := resp[i]
		for j := range row {
			mahal := mahalanobis(p, m.means[j], m.factors[j], z)
			row[j] = math.Log(m.weights[j]) - 0.5*(logNorm+m.logDets[j]+mahal)
		}
		ll := floats.LogSumExp(row)
		for j := range row {
			row[j] = math.Exp(row[j] - ll)
		}
		total += ll
	}
	return total / float64(len(points))
}

// mahalanobis returns (x-mean)ᵀ·Σ⁻¹·(x-mean) for Σ = L·Lᵀ by forward
// substitution, using z as scratch space.
func mahalanobis(x, mean []float64, l [][]float64, z []float64) float64 {
	var sum float64
	for a := range x {
		v := x[a] - mean[a]
		for b := range a {
			v -= l[a][b] * z[b]
		}
		z[a] = v / l[a][a]
		sum += z[a] * z[a]
	}
	return sum
}
