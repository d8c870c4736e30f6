// Package store persists the daemon's state in a single bbolt file.
//
// A Store keeps cluster model states keyed by space (the identity of the
// embedding model that produced the vectors), small metadata values, and
// persistent counters. The file carries a schema version. Open migrates
// files of older versions in place, in the same transaction that checks the
// version, and rejects files written by a newer schema. Other components
// may keep their own buckets in the same file through DB.
//
// Commit writes a space's cluster state, metadata such as frame counters,
// and a numbered commit record in one transaction, so a crash never leaves
// them from different commits. CommitChanges also writes the exemplars
// (thumbnails with embeddings), the hourly frame counts of the space's
// clusters and the state of the dimension reduction in front of them in
// that transaction.
//
// Cluster states are stored as JSON objects of the form
//
//	{"encoding": 1, "state": <cluster.State>}
//
// where the state uses encoding/json's default field names. Centroids and
// weights survive the round trip exactly, because encoding/json writes the
// shortest decimal that parses back to the same float32 or float64.
package store
