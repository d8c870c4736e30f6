// Package vec converts vectors between float32, the precision of
// embeddings, centroids and the wire format, and float64, the precision
// of the linear algebra that fits and refines them.
package vec
