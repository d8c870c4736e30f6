package delivery

import (
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/internal/mqtttest"
	"github.com/edgecluster/edgecluster/sync/hub"
	"github.com/edgecluster/edgecluster/sync/uplink"
)

// TestBrokerOutage produces summaries at a steady rate while the broker is
// stopped and restarted, and checks that the hub ends with each one once.
// Without persistence the broker forgets the hub's session, so summaries
// the device drains before the hub has subscribed again reach nobody: the
// hub sees the gap and its resync request brings them back.
func TestBrokerOutage(t *testing.T) {
	tests := []struct {
		name        string
		persistence bool
		outage      time.Duration
		every       time.Duration
		wantOutage  uint64 // minimum summaries produced while the broker is down
	}{
		{"restart with persistence", true, 3 * time.Second, 20 * time.Millisecond, 100},
		{"restart without persistence", false, 3 * time.Second, 20 * time.Millisecond, 100},
		{"60 s outage", false, 60 * time.Second, 100 * time.Millisecond, 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if testing.Short() && tt.outage > 10*time.Second {
				t.Skip("long outage skipped in -short mode")
			}
			runOutage(t, tt.persistence, tt.outage, tt.every, tt.wantOutage)
		})
	}
}

func runOutage(t *testing.T, persistence bool, outage, every time.Duration, wantOutage uint64) {
	broker := mqtttest.StartWith(t, mqtttest.Options{Persistence: persistence})
	h := startHub(t, broker.URL, hub.Options{})
	dev := openDevice(t, broker.URL, "cam-1", uplink.Options{MaxBytes: 256 << 20})
	dev.up.Start()

	var down atomic.Bool
	var duringOutage atomic.Uint64
	stop := make(chan struct{})
	done := make(chan uint64)
	go func() {
		rng := rand.New(rand.NewPCG(1, 2))
		tick := time.NewTicker(every)
		defer tick.Stop()
		var last uint64
		for {
			select {
			case <-stop:
				done <- last
				return
			case <-tick.C:
				last = dev.produce(rng)
				if down.Load() {
					duringOutage.Add(1)
				}
			}
		}
	}()

	time.Sleep(time.Second)
	broker.Stop()
	down.Store(true)
	time.Sleep(outage)
	// On a loaded machine the ticker falls behind, so the outage lasts until
	// enough summaries were made while the broker was down, up to 4 times
	// its planned length.
	for extra := time.Duration(0); duringOutage.Load() < wantOutage && extra < 3*outage; {
		time.Sleep(100 * time.Millisecond)
		extra += 100 * time.Millisecond
	}
	down.Store(false)
	broker.Restart()
	time.Sleep(2 * time.Second)
	close(stop)
	last := <-done

	if n := duringOutage.Load(); n < wantOutage {
		t.Errorf("%d summaries produced during the outage, want at least %d", n, wantOutage)
	}
	waitAll(t, []*hub.Hub{h}, "cam-1", last, 90*time.Second)
	info := deviceInfo(t, h, "cam-1")
	t.Logf("produced %d (%d while down); hub: %+v", last, duringOutage.Load(), info.Summaries)
	if info.Summaries.Lost != 0 {
		t.Errorf("hub marked %d summaries lost", info.Summaries.Lost)
	}
	if info.Summaries.Next != last+1 {
		t.Errorf("hub next expected seq %d, want %d", info.Summaries.Next, last+1)
	}
}

func deviceInfo(t testing.TB, h *hub.Hub, id string) hub.DeviceInfo {
	t.Helper()
	infos, err := h.Devices()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range infos {
		if d.ID == id {
			return d
		}
	}
	t.Fatalf("hub has no device %q", id)
	return hub.DeviceInfo{}
}

// TestDroppedSummariesCountedAsLost fills a small outbox while the device
// has no broker, so the oldest summaries are dropped. The status reports
// the drops and the hub, whose resync cannot bring them back, counts them
// as lost and stops asking.
func TestDroppedSummariesCountedAsLost(t *testing.T) {
	broker := mqtttest.Start(t)
	h := startHub(t, broker.URL, hub.Options{})
	dev := openDevice(t, broker.URL, "cam-1", uplink.Options{MaxMessages: 5})
	rng := newRand()
	for i := 0; i < 20; i++ {
		dev.produce(rng)
	}
	if got := dev.up.Dropped(); got != 15 {
		t.Fatalf("device dropped %d summaries, want 15", got)
	}
	dev.up.Start()

	// The status and the summaries travel separately, so wait for both.
	deadline := time.Now().Add(15 * time.Second)
	var info hub.DeviceInfo
	var st hub.Device
	for time.Now().Before(deadline) {
		infos, _ := h.Devices()
		st, _ = h.Device("cam-1")
		if len(infos) == 1 && infos[0].Summaries.Next == 21 && st.Status != nil &&
			st.Status.Dropped == 15 {
			info = infos[0]
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if info.Summaries.Stored != 5 || info.Summaries.Lost != 15 || info.Summaries.Next != 21 {
		t.Errorf("hub summaries %+v, want 5 stored, 15 lost, next 21", info.Summaries)
	}
	if st.Status == nil || st.Status.Dropped != 15 {
		t.Errorf("status %+v, want dropped 15", st.Status)
	}
}
