package daemon

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestRateLogHoldsBackRepeats(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	r := rateLog{every: time.Second}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 100; i++ {
		r.warn(log, start.Add(time.Duration(i)*50*time.Millisecond), "frame skipped")
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 5 {
		t.Fatalf("%d lines for 100 warnings over 5 s, want 5:\n%s", len(lines), buf.String())
	}
	if !strings.Contains(lines[1], "suppressed=19") {
		t.Errorf("second line %q does not count the 19 held back", lines[1])
	}
}
