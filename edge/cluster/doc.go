// Package cluster groups a stream of embeddings with online k-means.
//
// A Model buffers the first Config.SeedFrames vectors, then seeds K clusters
// from that buffer with k-means++ followed by Lloyd iterations. After seeding,
// each observed vector joins its nearest cluster, whose centroid follows a
// running mean that forgets old frames with a configurable half-life.
//
// The package does no I/O. Snapshot returns the complete model state as plain
// data, and Restore rebuilds a model from it that continues exactly as the
// original would have. A Model is not safe for concurrent use.
package cluster
