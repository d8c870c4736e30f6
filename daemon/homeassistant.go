package daemon

import (
	"fmt"

	"github.com/edgecluster/edgecluster/sync/uplink"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// haPrefix is Home Assistant's default MQTT discovery prefix.
const haPrefix = "homeassistant"

// haSensor is a Home Assistant MQTT discovery payload for one sensor.
type haSensor struct {
	Name                string   `json:"name"`
	UniqueID            string   `json:"unique_id"`
	StateTopic          string   `json:"state_topic"`
	ValueTemplate       string   `json:"value_template"`
	Unit                string   `json:"unit_of_measurement"`
	StateClass          string   `json:"state_class"`
	AvailabilityTopic   string   `json:"availability_topic"`
	AvailabilityTmpl    string   `json:"availability_template"`
	PayloadAvailable    string   `json:"payload_available"`
	PayloadNotAvailable string   `json:"payload_not_available"`
	Device              haDevice `json:"device"`
}

type haDevice struct {
	Identifiers  []string `json:"identifiers"`
	Name         string   `json:"name"`
	Manufacturer string   `json:"manufacturer"`
	Model        string   `json:"model"`
	SWVersion    string   `json:"sw_version,omitempty"`
}

// announceCluster publishes a retained discovery message that makes Home
// Assistant show the frame count of cluster id, read from the summaries.
func (p *pipeline) announceCluster(id int) {
	if !p.cfg.MQTT.HomeAssistant || p.uplink == nil {
		return
	}
	uid := fmt.Sprintf("edgecluster_%s_cluster_%d", p.cfg.DeviceID, id)
	cfg := haSensor{
		Name: fmt.Sprintf("cluster %d", id), UniqueID: uid,
		StateTopic: p.topic(wire.KindSummary),
		ValueTemplate: fmt.Sprintf("{%% for c in value_json.clusters if c.id == %d %%}"+
			"{{ c.count }}{%% endfor %%}", id),
		Unit: "frames", StateClass: "total_increasing",
		AvailabilityTopic: p.topic(wire.KindStatus),
		AvailabilityTmpl:  "{{ value_json.state }}",
		PayloadAvailable:  wire.StateOnline, PayloadNotAvailable: wire.StateOffline,
		Device: haDevice{Identifiers: []string{"edgecluster_" + p.cfg.DeviceID},
			Name: p.cfg.DeviceID, Manufacturer: "edgecluster", Model: p.id.Name,
			SWVersion: p.opts.Version},
	}
	data, err := wire.Encode(cfg)
	if err == nil {
		err = p.uplink.Enqueue(uplink.Message{Retained: true, Payload: data,
			Topic: fmt.Sprintf("%s/sensor/%s/config", haPrefix, uid)})
	}
	if err != nil {
		p.log.Error("home assistant discovery not queued", "cluster", id, "err", err)
	}
}
