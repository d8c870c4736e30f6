// Package delivery holds the end-to-end delivery tests and benchmarks of
// the MQTT path: a device uplink, a real mosquitto started by the test and
// one or two hubs. The tests stop and restart the broker, kill the daemon
// and check that the hub ends with every summary exactly once, in order.
// The package has no code of its own.
package delivery
