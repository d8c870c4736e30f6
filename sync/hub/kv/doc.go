// Package kv is the transactional key-value store behind the hub, with a
// bbolt backend (one file, no set-up) and a PostgreSQL backend for several
// hub instances that share one database.
//
// The interfaces follow the part of go.etcd.io/bbolt that the hub uses:
// Update and View run a function in a read-write or read-only transaction,
// and a transaction holds named, nestable buckets of byte keys and values
// kept in byte order. Code written against *bolt.Tx and *bolt.Bucket ports
// by changing those types to Tx and Bucket, as long as it uses only the
// methods declared here (there is no NextSequence, Stats or CreateBucket,
// for example). Two differences remain:
// ForEach and cursors visit key/value pairs only and skip nested buckets,
// and a PostgreSQL transaction may run its function more than once (see
// DB.Update).
package kv
