// Package uplink is the device side of MQTT: a paho client that publishes
// the device's retained status and queued messages at QoS 1 through a
// durable outbox.
//
// A message is written to the outbox (a bbolt bucket) before it is sent and
// deleted only after the broker acknowledges it, so messages queued while
// the broker is away, or before a crash, are sent oldest first once a
// connection is up. A message can be delivered twice (a crash between the
// acknowledgement and the delete). Every payload carries a per-device
// sequence number so the hub drops repeats.
package uplink
