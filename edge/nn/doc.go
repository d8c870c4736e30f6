// Package nn trains small fully connected networks on the CPU.
//
// A Network is a stack of Dense layers, each an affine map followed by a
// ReLU or linear activation, evaluated on a mini-batch held in a gonum
// mat.Dense with one sample per row. Forward caches what Backward needs,
// Backward accumulates the parameter gradients, and Adam applies them.
// MSE gives the mean squared error loss and its gradient, and Batches
// splits sample indices into seeded, shuffled mini-batches.
//
// Every layer's gradients are checked against central finite differences
// in the tests. Computation is in float64; the package is not safe for
// concurrent use of one Network.
package nn
