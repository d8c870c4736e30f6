package hub

import (
	"fmt"
	"time"

	"github.com/edgecluster/edgecluster/sync/wire"
)

// DefaultResyncInterval is the shortest time between two resync requests
// for the same device and kind, used when Options.ResyncInterval is 0.
const DefaultResyncInterval = 5 * time.Second

// checkGap requests a resync when state has missing numbers, at most once
// per ResyncInterval for the same device and kind.
//
// TODO: with Options.Share each instance sees only part of every device's
// messages, so gap detection is off. A shared PostgreSQL store holds the
// whole history, but while two instances store neighbouring numbers in
// either order, each would see a gap and request numbers in flight.
func (h *Hub) checkGap(device, kind string, state Sequence) {
	if !state.Missing() || h.opts.Share != "" {
		return
	}
	key := device + "/" + kind
	now := h.now()
	h.mu.Lock()
	last, asked := h.resyncAt[key]
	if asked && now.Sub(last) < h.opts.ResyncInterval {
		h.mu.Unlock()
		return
	}
	h.resyncAt[key] = now
	h.mu.Unlock()
	h.requestResync(device, kind, state.next())
}

// requestResync publishes a resync command. It does not wait for the
// PUBACK because it runs on the MQTT client's message goroutine.
func (h *Hub) requestResync(device, kind string, from uint64) {
	id := fmt.Sprintf("hub-%d", h.commandID.Add(1))
	payload := fmt.Sprintf(`{"v":%d,"id":%q,"kind":%q,"from":%d}`, wire.Version, id, kind, from)
	topic := wire.CommandTopic(h.opts.Prefix, device, wire.CmdResync)
	h.log.Info("resync requested", "device", device, "kind", kind, "from", from, "id", id)
	tok := h.client.Publish(topic, 1, false, payload)
	go func() {
		if !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
			h.log.Warn("resync request not acknowledged", "device", device, "id", id,
				"err", tok.Error())
		}
	}()
}
