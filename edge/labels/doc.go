// Package labels spreads a few labels given by a person over the rest of a
// set of embeddings and ranks which unlabelled embedding a person should
// label next.
//
// Spread runs label spreading (Zhou et al., "Learning with Local and
// Global Consistency", NIPS 2003) on a symmetric k-nearest-neighbour graph
// with Gaussian edge weights and returns, for every point, the best label
// with a confidence in [0, 1]. Queue ranks unlabelled points by
// informativeness: dense points far along the graph from every label come
// first, then points whose two best labels score nearly the same.
//
// The package does no I/O, so the hub, the eval command and tests share it.
package labels
