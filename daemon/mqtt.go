package daemon

import (
	"encoding/json"
	"fmt"

	"github.com/edgecluster/edgecluster/edge/store"
	"github.com/edgecluster/edgecluster/internal/tlsfiles"
	"github.com/edgecluster/edgecluster/sync/uplink"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// uplinkOptions maps the mqtt config section to uplink options. It also
// makes the command channel, which must exist before the first connection
// can deliver a command. Reconnect delays use the system clock even when a
// test injects a fake one, since the broker runs in real time.
func (p *pipeline) uplinkOptions(will []byte) uplink.Options {
	m := p.cfg.MQTT
	clientID := m.ClientID
	if clientID == "" {
		clientID = "edgecluster-" + p.cfg.DeviceID
	}
	p.commands = make(chan wire.Command, commandQueue)
	return uplink.Options{
		Broker: m.Broker, ClientID: clientID, Username: m.Username, Password: m.Password,
		TLS:         tlsfiles.Files{CA: m.CAFile, Cert: m.CertFile, Key: m.KeyFile},
		StatusTopic: p.topic(wire.KindStatus), Will: will,
		Subscribe: p.topic(wire.KindCommand) + "/#", OnMessage: p.onCommand,
		KeepAlive: m.KeepAlive.Duration, MaxMessages: m.OutboxMessages, MaxBytes: m.OutboxBytes,
		DB: p.store.DB(), Logger: p.base,
	}
}

// loadLabels returns the stored cluster labels of space.
func loadLabels(st *store.Store, space string) (map[int]string, error) {
	labels := map[int]string{}
	data, err := st.Meta(labelsKey(space))
	if err != nil || data == nil {
		return labels, err
	}
	if err := json.Unmarshal(data, &labels); err != nil {
		return nil, fmt.Errorf("stored cluster labels: %w", err)
	}
	return labels, nil
}
