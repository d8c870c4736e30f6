// Package reduce lowers the dimension of embeddings.
//
// Incremental estimates the leading principal components of a stream with
// candid covariance-free incremental PCA (CCIPCA). It takes one vector at a
// time and keeps no covariance matrix, so a device can project its
// embeddings to a few dozen dimensions before clustering them.
package reduce
