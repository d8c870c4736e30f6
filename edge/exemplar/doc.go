// Package exemplar keeps per-cluster exemplars and hourly frame counts on
// the device.
//
// An exemplar is one frame of a cluster: its frame id and time, its
// embedding and a small JPEG thumbnail made from the decoded frame. A Set
// holds the exemplars of one cluster space in memory, decides which frames
// become exemplars, and lists its changes for store.Store.CommitChanges, so
// they are written in the same transaction as the cluster state.
//
// Which frames are kept:
//
//   - Each cluster keeps a uniform sample of its frames (reservoir
//     sampling, Vitter's Algorithm R) of at most Config.PerCluster frames.
//   - All thumbnails of the space share Config.BudgetBytes. A cluster adds
//     an exemplar, instead of replacing one of its own, only while the
//     total stays within the budget or while it has at least two fewer
//     exemplars than the largest cluster.
//   - While the total exceeds the budget, the oldest exemplar (lowest frame
//     id) of the largest cluster goes first. The largest cluster has the
//     most exemplars, then the most bytes, then the lowest id.
//   - When two clusters merge, the survivor takes the absorbed cluster's
//     exemplars and hourly counts. A uniform random subset of at most
//     PerCluster exemplars stays, then the budget rule applies again.
//
// Hourly counts are frame counts per cluster and UTC hour, kept for the
// last Config.HourlyRetention hours.
package exemplar
