// Package daemon is the device process: it loads and checks the
// configuration, wires a frame source, the embedder, the streaming clusters,
// the state store and the MQTT uplink into one pipeline, and runs it until
// the source ends or the context is cancelled.
//
// The pipeline has a single writer for the clustering state. Frames are
// embedded in parallel in small batches and observed in frame order, so
// results do not depend on the number of workers.
package daemon
