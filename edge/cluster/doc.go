// Package cluster groups a stream of embeddings with online k-means.
//
// A Model buffers the first Config.SeedFrames vectors, then seeds K clusters
// from that buffer with greedy k-means++ followed by Lloyd iterations,
// keeping the best of Config.SeedRestarts runs. After seeding,
// each observed vector joins its nearest cluster, whose centroid follows a
// running mean that forgets old frames with a configurable half-life.
//
// Seeds drawn from the first frames often all come from one scene. After
// seeding, a vector far outside its nearest cluster makes the model merge
// its two closest clusters and start a new one at that vector, so the
// clusters follow scenes that appear later. Cluster ids are never reused,
// and Model.Lineage records each seed, merge and spawn.
//
// A cluster that stops receiving frames, such as a seed placed on an
// outlier, starves: its decayed weight falls below Config.Starved times
// the mean. The model then merges it into its nearest cluster and splits
// the widest cluster in two, and Model.Lineage records both steps.
//
// ObserveBatch applies mini-batch updates: a batch is assigned against the
// centroids as they stand when it arrives, then folded in with the same
// running-mean rule. KMeans is the batch reference: Lloyd's algorithm from
// greedy k-means++ seeds, restarted NInit times, which re-seeds an emptied
// cluster by splitting off the farthest point of the widest cluster.
//
// The package does no I/O. Snapshot returns the complete model state as plain
// data, and Restore rebuilds a model from it that continues exactly as the
// original would have. A Model is not safe for concurrent use.
package cluster
