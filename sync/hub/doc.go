// Package hub is the central aggregator: it subscribes to every device's
// status and summary topics, keeps the latest of each per device in a bbolt
// file or a PostgreSQL database (package kv), and serves them as a JSON API
// and an HTML page.
//
// Ingest is idempotent: a summary whose sequence number is not newer than
// the stored one is counted as a duplicate and dropped, so the at-least-once
// delivery of the device outbox shows each summary once.
package hub
