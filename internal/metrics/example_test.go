package metrics_test

import (
	"os"

	"github.com/edgecluster/edgecluster/internal/metrics"
)

func Example() {
	var reg metrics.Registry
	var frames metrics.Counter
	latency := metrics.NewHistogram(50, 200)
	reg.Counter("app_frames_total", "Frames read.", &frames)
	reg.Histogram("app_latency_ms", "Latency in milliseconds.", latency)

	frames.Add(2)
	latency.Observe(120)
	latency.Observe(30)
	reg.WriteTo(os.Stdout)
	// Output:
	// # HELP app_frames_total Frames read.
	// # TYPE app_frames_total counter
	// app_frames_total 2
	// # HELP app_latency_ms Latency in milliseconds.
	// # TYPE app_latency_ms histogram
	// app_latency_ms_bucket{le="50"} 1
	// app_latency_ms_bucket{le="200"} 2
	// app_latency_ms_bucket{le="+Inf"} 2
	// app_latency_ms_sum 150
	// app_latency_ms_count 2
}
