// Package wire defines the MQTT topics and the versioned JSON payloads that
// devices and the hub exchange. It encodes and decodes but opens no
// connections.
//
// Every payload carries "v", the schema version. Decoders reject a payload
// with a version they do not know (ErrUnsupportedVersion) separately from one
// that is not valid JSON or misses required fields (ErrMalformed), so a hub
// can tell an old device from a broken one.
package wire
