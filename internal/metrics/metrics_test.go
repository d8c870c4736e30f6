package metrics

import (
	"math"
	"strings"
	"sync"
	"testing"
)

func TestHistogramBuckets(t *testing.T) {
	tests := []struct {
		name    string
		observe []float64
		want    string
	}{
		{"empty", nil, `h_bucket{le="1"} 0
h_bucket{le="10"} 0
h_bucket{le="+Inf"} 0
h_sum 0
h_count 0
`},
		{"on bounds", []float64{1, 10}, `h_bucket{le="1"} 1
h_bucket{le="10"} 2
h_bucket{le="+Inf"} 2
h_sum 11
h_count 2
`},
		{"above last", []float64{0.5, 11, 250}, `h_bucket{le="1"} 1
h_bucket{le="10"} 1
h_bucket{le="+Inf"} 3
h_sum 261.5
h_count 3
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := NewHistogram(1, 10)
			for _, v := range tt.observe {
				h.Observe(v)
			}
			var b strings.Builder
			if err := h.write(&b, "h"); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("got\n%s\nwant\n%s", b.String(), tt.want)
			}
		})
	}
}

func TestRegistryWrite(t *testing.T) {
	var r Registry
	var c Counter
	var g Gauge
	c.Add(3)
	c.Inc()
	g.Set(-2.5)
	r.Counter("frames_total", "Frames read.\nIncludes corrupt ones.", &c)
	r.Gauge("depth", `Queue \ depth.`, &g)
	r.GaugeFunc("inf", "Infinite.", func() float64 { return math.Inf(1) })
	r.CounterFunc("lost_total", "Lost.", func() uint64 { return 7 })

	var b strings.Builder
	if _, err := r.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	want := `# HELP frames_total Frames read.\nIncludes corrupt ones.
# TYPE frames_total counter
frames_total 4
# HELP depth Queue \\ depth.
# TYPE depth gauge
depth -2.5
# HELP inf Infinite.
# TYPE inf gauge
inf +Inf
# HELP lost_total Lost.
# TYPE lost_total counter
lost_total 7
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestRegistryRejectsBadNames(t *testing.T) {
	tests := []struct{ name, first, second string }{
		{"invalid", "1frames", ""},
		{"dash", "frames-total", ""},
		{"repeated", "frames", "frames"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Registry
			defer func() {
				if recover() == nil {
					t.Errorf("no panic registering %q then %q", tt.first, tt.second)
				}
			}()
			r.Counter(tt.first, "", &Counter{})
			if tt.second != "" {
				r.Counter(tt.second, "", &Counter{})
			}
		})
	}
}

func TestHistogramConcurrent(t *testing.T) {
	h := NewHistogram(100)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 1000; j++ {
				h.Observe(float64(j % 200))
			}
		}()
	}
	wg.Wait()
	if got := h.Count(); got != 8000 {
		t.Errorf("count %d, want 8000", got)
	}
}
