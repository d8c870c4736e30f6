// Package reduce lowers the dimension of embeddings and maps them to two
// or three dimensions for display.
//
// Incremental estimates the leading principal components of a stream with
// candid covariance-free incremental PCA (CCIPCA). It takes one vector at a
// time and keeps no covariance matrix, so a device can project its
// embeddings to a few dozen dimensions before clustering them.
//
// PCA fits a principal component analysis by a thin SVD of the centred
// data and returns the model with the projected rows. Each component's sign
// is fixed so that its loading of largest magnitude is positive, so a map
// keeps its orientation when the same data is fitted again.
//
// TSNE computes a t-distributed stochastic neighbour embedding with the
// Barnes-Hut approximation of van der Maaten, "Accelerating t-SNE using
// Tree-Based Algorithms", JMLR 15 (2014) 3221-3245. Input similarities use
// the 3·perplexity nearest neighbours of each point, found exactly with a
// vantage-point tree, with each point's Gaussian bandwidth set by binary
// search to match the perplexity. The gradient's repulsive part is
// approximated with a quadtree (2-D) or octree (3-D) and the accuracy
// parameter theta, so an iteration costs O(n log n). The optimiser uses
// early exaggeration, momentum and per-coordinate gains as in that paper.
// A fixed seed gives identical output on the same input and architecture.
//
// KLDivergence returns the Kullback-Leibler divergence of an embedding and
// Trustworthiness how well it keeps each point's nearest neighbours, so
// embeddings from different programs can be compared on the same data.
package reduce
