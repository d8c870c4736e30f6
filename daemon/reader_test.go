package daemon

import (
	"path/filepath"
	"testing"

	"github.com/edgecluster/edgecluster/internal/mqtttest"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// TestCommandsWhileCameraDown runs a live source whose camera program
// always fails, so no frame ever arrives, and checks that commands
// still get replies.
func TestCommandsWhileCameraDown(t *testing.T) {
	broker := mqtttest.Start(t)
	peer := newPeer(t, broker.URL)
	cfg := testConfig(t, "", filepath.Join(t.TempDir(), "s.db"))
	cfg.Source = SourceConfig{Kind: KindPipe, LiveSourceConfig: LiveSourceConfig{
		Command: []string{"sh", "-c", `echo "no camera" >&2; exit 3`}}}
	cfg.MQTT.Broker = broker.URL
	stop := runInBackground(t, cfg)
	// The daemon publishes its status once it is connected and subscribed.
	peer.wait(t, wire.KindStatus, 1)

	peer.send(t, wire.CmdConfig, `{"v":1,"id":"c1","set":{"summary.every_frames":5}}`)
	peer.send(t, wire.CmdLabel, `{"v":1,"id":"c2","cluster":0,"label":"door"}`)
	got := peer.replies(t, 2)
	res := stop()

	tests := []struct {
		id     string
		wantOK bool
	}{
		{"c1", true},
		{"c2", false}, // no frame, so no cluster 0 yet
	}
	for _, tt := range tests {
		r, ok := got[tt.id]
		if !ok {
			t.Errorf("no reply with id %q in %+v", tt.id, got)
			continue
		}
		if r.OK != tt.wantOK {
			t.Errorf("reply %q ok = %v (error %q), want %v", tt.id, r.OK, r.Error, tt.wantOK)
		}
	}
	if res.Frames.Embedded != 0 {
		t.Errorf("embedded %d frames, want 0 from a camera that never starts",
			res.Frames.Embedded)
	}
}
