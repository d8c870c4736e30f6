package delivery

import (
	"context"
	"fmt"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/edgecluster/edgecluster/internal/mqtttest"
	"github.com/edgecluster/edgecluster/sync/uplink"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// benchSizes are the payloads of the rate benchmarks: a small event-sized
// message and a summary of 16 clusters of 1280 dimensions.
var benchSizes = []struct {
	name    string
	payload func(seq uint64) []byte
}{
	{"event", func(seq uint64) []byte {
		data, _ := wire.Encode(wire.Event{V: 1, Device: "cam-1", Seq: seq, Type: "cluster_new"})
		return data
	}},
	{"summary_k16_d1280", func(seq uint64) []byte {
		return summaryPayload("cam-1", seq, benchK, benchDims, newRand())
	}},
}

func BenchmarkEnqueue(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(size.name, func(b *testing.B) {
			d := openDevice(b, "tcp://127.0.0.1:1", "cam-1", uplink.Options{MaxBytes: 1 << 30,
				MaxMessages: 1 << 30})
			m := uplink.Message{Topic: "edgecluster/cam-1/summary", Payload: size.payload(1)}
			b.SetBytes(int64(len(m.Payload)))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				m.Seq = uint64(i + 1)
				if err := d.up.Enqueue(m); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msg/s")
		})
	}
}

// BenchmarkDrain measures how fast a backlog of b.N messages leaves the
// outbox for a local mosquitto, PUBACKs and deletes included.
func BenchmarkDrain(b *testing.B) {
	for _, size := range benchSizes {
		for _, inFlight := range []int{1, 64} {
			b.Run(fmt.Sprintf("%s/in_flight=%d", size.name, inFlight), func(b *testing.B) {
				benchDrain(b, size.payload(1), inFlight)
			})
		}
	}
}

func benchDrain(b *testing.B, payload []byte, inFlight int) {
	broker := mqtttest.Start(b)
	d := openDevice(b, broker.URL, "cam-1", uplink.Options{MaxBytes: 1 << 30,
		MaxMessages: 1 << 30, InFlight: inFlight})
	for i := 0; i < b.N; i++ {
		m := uplink.Message{Topic: "edgecluster/cam-1/summary", Payload: payload, Seq: uint64(i + 1)}
		if err := d.up.Enqueue(m); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(payload)))
	b.ResetTimer()
	d.up.Start()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := d.up.Flush(ctx); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msg/s")
}

// BenchmarkPahoPublish is the peer of BenchmarkDrain: paho publishing the
// same payloads at QoS 1 from memory, without an outbox, either waiting
// for each PUBACK or keeping 64 in flight.
func BenchmarkPahoPublish(b *testing.B) {
	for _, size := range benchSizes {
		for _, inFlight := range []int{1, 64} {
			b.Run(fmt.Sprintf("%s/in_flight=%d", size.name, inFlight), func(b *testing.B) {
				benchPaho(b, size.payload(1), inFlight)
			})
		}
	}
}

func benchPaho(b *testing.B, payload []byte, inFlight int) {
	broker := mqtttest.Start(b)
	c := mqtt.NewClient(mqtt.NewClientOptions().AddBroker(broker.URL).SetClientID("bench"))
	if tok := c.Connect(); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		b.Fatalf("connect: %v", tok.Error())
	}
	defer c.Disconnect(100)
	b.SetBytes(int64(len(payload)))
	b.ResetTimer()
	var window []mqtt.Token
	for i := 0; i < b.N; i++ {
		window = append(window, c.Publish("edgecluster/cam-1/summary", 1, false, payload))
		for len(window) == inFlight || (i == b.N-1 && len(window) > 0) {
			if !window[0].WaitTimeout(10*time.Second) || window[0].Error() != nil {
				b.Fatalf("publish: %v", window[0].Error())
			}
			window = window[1:]
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msg/s")
}

// BenchmarkSummaryBytes reports the encoded size of one summary of k
// clusters of 1280 dimensions, and the share the centroids take.
func BenchmarkSummaryBytes(b *testing.B) {
	for _, k := range []int{1, 8, 16} {
		b.Run(fmt.Sprintf("k=%d/d=%d", k, benchDims), func(b *testing.B) {
			var size int
			for i := 0; i < b.N; i++ {
				size = len(summaryPayload("cam-1", uint64(i+1), k, benchDims, newRand()))
			}
			centroids := k * (4 * ((2*benchDims + 2) / 3))
			b.ReportMetric(float64(size), "bytes/summary")
			b.ReportMetric(float64(centroids)/float64(size), "centroid_share")
		})
	}
}
