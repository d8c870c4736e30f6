package hub

import (
	"bufio"
	"bytes"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/internal/mqtttest"
)

// syncBuffer is a log destination that goroutines may share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) waitFor(t *testing.T, text string) {
	t.Helper()
	for range 500 {
		b.mu.Lock()
		found := strings.Contains(b.buf.String(), text)
		b.mu.Unlock()
		if found {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("log never said %q", text)
}

// subackDelay relays one MQTT connection between a client and a real
// broker, holding back packets of type SUBACK until release is closed.
func subackDelay(t *testing.T, broker string, release <-chan struct{}) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		client, err := ln.Accept()
		if err != nil {
			return
		}
		defer client.Close()
		server, err := net.Dial("tcp", strings.TrimPrefix(broker, "tcp://"))
		if err != nil {
			return
		}
		defer server.Close()
		go func() { _, _ = io.Copy(server, client) }()
		relayPackets(client, server, release)
	}()
	return "tcp://" + ln.Addr().String()
}

// relayPackets copies MQTT packets from src to dst, waiting for release
// before each SUBACK.
func relayPackets(dst io.Writer, src io.Reader, release <-chan struct{}) {
	r := bufio.NewReader(src)
	for {
		head, err := r.ReadByte()
		if err != nil {
			return
		}
		packet := []byte{head}
		n, shift := 0, 0
		for {
			b, err := r.ReadByte()
			if err != nil {
				return
			}
			packet = append(packet, b)
			n |= int(b&0x7f) << shift
			shift += 7
			if b&0x80 == 0 {
				break
			}
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(r, body); err != nil {
			return
		}
		if head>>4 == 9 { // SUBACK
			<-release
		}
		if _, err := dst.Write(append(packet, body...)); err != nil {
			return
		}
	}
}

// A late SUBACK is logged as a timeout, and the hub still finishes
// subscribing when it arrives.
func TestLateSubackStillSubscribes(t *testing.T) {
	old := subscribeTimeout
	subscribeTimeout = 100 * time.Millisecond
	t.Cleanup(func() { subscribeTimeout = old })
	broker := mqtttest.Start(t)
	release := make(chan struct{})
	var logs syncBuffer
	h, err := New(withState(Options{Broker: subackDelay(t, broker.URL, release),
		Logger: slog.New(slog.NewTextHandler(&logs, nil))}, boltState(t)))
	if err != nil {
		t.Fatal(err)
	}
	h.Start()
	t.Cleanup(func() { _ = h.Close() })

	logs.waitFor(t, "subscribe timed out")
	logs.mu.Lock()
	early := strings.Contains(logs.buf.String(), "msg=subscribed")
	logs.mu.Unlock()
	if early {
		t.Fatal("subscribed before the SUBACK")
	}
	close(release)
	logs.waitFor(t, "msg=subscribed")
}
