package metrics

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
)

// validName is the metric name syntax of the exposition format.
var validName = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)

type entry struct {
	name, help, kind string
	write            func(w io.Writer) error
}

// Registry is an ordered set of named metrics.
type Registry struct {
	mu      sync.Mutex
	entries []entry
	names   map[string]bool
}

// Counter registers c under name with a one-line help text.
func (r *Registry) Counter(name, help string, c *Counter) {
	r.add(name, help, "counter", func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "%s %d\n", name, c.Value())
		return err
	})
}

// Gauge registers g under name.
func (r *Registry) Gauge(name, help string, g *Gauge) {
	r.GaugeFunc(name, help, g.Value)
}

// GaugeFunc registers a gauge whose value is read from f at each write.
func (r *Registry) GaugeFunc(name, help string, f func() float64) {
	r.add(name, help, "gauge", func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "%s %s\n", name, formatFloat(f()))
		return err
	})
}

// CounterFunc registers a counter whose value is read from f at each write.
func (r *Registry) CounterFunc(name, help string, f func() uint64) {
	r.add(name, help, "counter", func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "%s %d\n", name, f())
		return err
	})
}

// Histogram registers h under name.
func (r *Registry) Histogram(name, help string, h *Histogram) {
	r.add(name, help, "histogram", func(w io.Writer) error { return h.write(w, name) })
}

// add panics on an invalid or repeated name: both are programming errors.
func (r *Registry) add(name, help, kind string, write func(io.Writer) error) {
	if !validName.MatchString(name) {
		panic(fmt.Sprintf("metrics: invalid metric name %q", name))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.names[name] {
		panic(fmt.Sprintf("metrics: metric %q registered twice", name))
	}
	if r.names == nil {
		r.names = map[string]bool{}
	}
	r.names[name] = true
	r.entries = append(r.entries, entry{name, escapeHelp(help), kind, write})
}

// WriteTo writes every metric with its HELP and TYPE lines.
func (r *Registry) WriteTo(w io.Writer) (int64, error) {
	r.mu.Lock()
	entries := append([]entry(nil), r.entries...)
	r.mu.Unlock()

	var buf bytes.Buffer
	for _, e := range entries {
		fmt.Fprintf(&buf, "# HELP %s %s\n# TYPE %s %s\n", e.name, e.help, e.name, e.kind)
		if err := e.write(&buf); err != nil {
			return 0, err
		}
	}
	return buf.WriteTo(w)
}

func escapeHelp(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\n", `\n`).Replace(s)
}
