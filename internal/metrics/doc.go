// Package metrics keeps counters, gauges and histograms and writes them in
// the Prometheus text exposition format, version 0.0.4. It covers what the
// daemon exports and nothing more: no labels, no summaries.
//
// Every metric is safe for concurrent use. A Registry writes its metrics in
// the order they were registered.
package metrics
