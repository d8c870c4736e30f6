// Package mqttclient holds the MQTT client settings that the device uplink
// and the hub share.
package mqttclient

import (
	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/edgecluster/edgecluster/internal/tlsfiles"
)

// Auth sets the credentials and TLS files of co: the username and password
// when username is set, and a TLS configuration when any TLS file is set.
func Auth(co *mqtt.ClientOptions, username, password string, files tlsfiles.Files) error {
	if username != "" {
		co.SetUsername(username).SetPassword(password)
	}
	if files.Empty() {
		return nil
	}
	tc, err := files.Config()
	if err != nil {
		return err
	}
	co.SetTLSConfig(tc)
	return nil
}
