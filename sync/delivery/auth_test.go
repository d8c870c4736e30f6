package delivery

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/edgecluster/edgecluster/internal/clock"
	"github.com/edgecluster/edgecluster/internal/mqtttest"
	"github.com/edgecluster/edgecluster/sync/hub"
	"github.com/edgecluster/edgecluster/sync/uplink"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// aclText lets each device write only below its own id, which is its
// user name, and read only its own commands. The hub reads everything and
// writes commands.
const aclText = `user hub
topic read edgecluster/#
topic write edgecluster/+/cmd/#

pattern write edgecluster/%u/status
pattern write edgecluster/%u/summary
pattern write edgecluster/%u/event
pattern write edgecluster/%u/cmd-reply
pattern read edgecluster/%u/cmd/#
`

// authBroker starts mosquitto with a password file for users and the ACL.
func authBroker(t *testing.T, users map[string]string) *mqtttest.Broker {
	t.Helper()
	dir := t.TempDir()
	pwfile := filepath.Join(dir, "passwd")
	if err := os.WriteFile(pwfile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for user, pw := range users {
		out, err := exec.Command("mosquitto_passwd", "-b", pwfile, user, pw).CombinedOutput()
		if err != nil {
			t.Fatalf("mosquitto_passwd: %v\n%s", err, out)
		}
	}
	acl := filepath.Join(dir, "acl")
	if err := os.WriteFile(acl, []byte(aclText), 0o644); err != nil {
		t.Fatal(err)
	}
	return mqtttest.StartWith(t, mqtttest.Options{Listener: fmt.Sprintf(
		"allow_anonymous false\npassword_file %s\nacl_file %s\n", pwfile, acl)})
}

func TestACLKeepsDevicesApart(t *testing.T) {
	broker := authBroker(t, map[string]string{"hub": "hub-pw", "cam-a": "a-pw", "cam-b": "b-pw"})
	h := startHub(t, broker.URL, hub.Options{Username: "hub", Password: "hub-pw"})
	a := openDevice(t, broker.URL, "cam-a", uplink.Options{Username: "cam-a", Password: "a-pw"})
	a.up.Start()

	// cam-a's credentials used to write into cam-b's topic: mosquitto
	// acknowledges the publication (MQTT 3.1.1 has no way to refuse it)
	// but forwards it to no subscriber.
	intruder := mqtt.NewClient(mqtt.NewClientOptions().AddBroker(broker.URL).
		SetClientID("intruder").SetUsername("cam-a").SetPassword("a-pw"))
	if tok := intruder.Connect(); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("intruder connect: %v", tok.Error())
	}
	defer intruder.Disconnect(100)
	forged := summaryPayload("cam-b", 1, 1, 4, nil)
	tok := intruder.Publish(wire.Topic(prefix, "cam-b", wire.KindSummary), 1, false, forged)
	tok.WaitTimeout(5 * time.Second)

	// Published after the forged one, so once it is stored the forged one
	// would have arrived too.
	rng := newRand()
	for i := 0; i < 3; i++ {
		a.produce(rng)
	}
	waitAll(t, []*hub.Hub{h}, "cam-a", 3, 10*time.Second)
	if seqs := allSeqs(t, []*hub.Hub{h}, "cam-b"); len(seqs) != 0 {
		t.Errorf("hub stored %d summaries forged for cam-b", len(seqs))
	}
}

func TestWrongPasswordLogsAndBacksOff(t *testing.T) {
	broker := authBroker(t, map[string]string{"cam-a": "a-pw"})
	logs := &syncBuffer{}
	fake := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	start := fake.Now()
	d := openDevice(t, broker.URL, "cam-a", uplink.Options{Username: "cam-a", Password: "wrong",
		Clock: fake, Logger: slogTo(logs),
		Backoff: uplink.Backoff{Min: time.Second, Max: time.Minute}})
	d.up.Start()

	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) && logs.count("broker rejected the credentials") < 4 {
		time.Sleep(20 * time.Millisecond)
	}
	d.up.Close(nil)
	if n := logs.count("broker rejected the credentials"); n < 4 {
		t.Fatalf("%d credential errors logged, want at least 4:\n%s", n, logs.String())
	}
	if strings.Contains(logs.String(), "wrong") {
		t.Errorf("log contains the password:\n%s", logs.String())
	}
	// Four failed attempts wait at least 0.5+1+2+4 s of backoff.
	if waited := fake.Now().Sub(start); waited < 7500*time.Millisecond {
		t.Errorf("backoff waited %v on the fake clock over 4 attempts, want >= 7.5s", waited)
	}
	if d.up.Connected() {
		t.Error("uplink connected with a wrong password")
	}
}

func slogTo(b *syncBuffer) *slog.Logger { return slog.New(slog.NewTextHandler(b, nil)) }

// syncBuffer is a bytes.Buffer safe for the logger's concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *syncBuffer) count(s string) int { return strings.Count(b.String(), s) }

func TestUnreachableBrokerWarnsOncePerMinute(t *testing.T) {
	port, err := mqtttest.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	fake := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	start := fake.Now()
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	d := openDevice(t, fmt.Sprintf("tcp://127.0.0.1:%d", port), "cam-a", uplink.Options{
		Clock: fake, Logger: logger,
		Backoff: uplink.Backoff{Min: time.Second, Max: 2 * time.Second}})
	d.up.Start()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) && fake.Now().Sub(start) < 210*time.Second {
		time.Sleep(10 * time.Millisecond)
	}
	d.up.Close(nil)

	// The fake clock runs ahead while the loop above sleeps, so the
	// expected count follows the fake time that passed: a warning at the
	// first attempt and then one per minute.
	minutes := int(fake.Now().Sub(start) / time.Minute)
	attempts := logs.count(`msg="connect failed`)
	warnings := logs.count(`level=WARN msg="connect failed`)
	if attempts < 60 {
		t.Fatalf("%d attempts logged over %v, want at least 60", attempts, fake.Now().Sub(start))
	}
	if warnings < minutes || warnings > minutes+1 {
		t.Errorf("%d warnings over %d fake minutes, want %d or %d", warnings, minutes, minutes,
			minutes+1)
	}
}
