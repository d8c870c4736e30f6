package daemon

import (
	"context"
	"path/filepath"
	"testing"
)

// The monitor reports the clusters of an existing state file as soon as
// the state is loaded, before the restarted run builds a summary.
func TestMonitorShowsRestoredClusters(t *testing.T) {
	state := filepath.Join(t.TempDir(), "s.db")
	cfg := testConfig(t, writeClip(t, clipFrames(t, 0, 12)), state)
	first := testOptions()
	first.Monitor = NewMonitor(first.Clock)
	if _, err := Run(context.Background(), cfg, first); err != nil {
		t.Fatal(err)
	}
	before := first.Monitor.Snapshot()
	if before.Clusters == 0 || before.Observed == 0 {
		t.Fatalf("first run ends with %d clusters of %d frames, want some", before.Clusters,
			before.Observed)
	}

	cfg.Source.Path = writeClip(t, clipFrames(t, 12, 13))
	second := testOptions()
	second.Monitor = NewMonitor(second.Clock)
	var atReady Snapshot
	second.Ready = func() { atReady = second.Monitor.Snapshot() }
	if _, err := Run(context.Background(), cfg, second); err != nil {
		t.Fatal(err)
	}
	if atReady.Summaries != 0 {
		t.Fatalf("%d summaries before the restarted run began, want 0", atReady.Summaries)
	}
	if atReady.Clusters != before.Clusters {
		t.Errorf("clusters after restart %d, want the stored %d", atReady.Clusters,
			before.Clusters)
	}
	if atReady.Observed != before.Observed {
		t.Errorf("observed frames after restart %d, want the stored %d", atReady.Observed,
			before.Observed)
	}
	if atReady.Embedded != before.Embedded {
		t.Errorf("embedded frames after restart %d, want the stored %d", atReady.Embedded,
			before.Embedded)
	}
}
