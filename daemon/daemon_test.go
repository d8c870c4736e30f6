package daemon

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/edge/store"
	"github.com/edgecluster/edgecluster/internal/clock"
	"github.com/edgecluster/edgecluster/sensors/mjpeg"
)

const demoClip = "../demo/scenes.mjpeg"

// clipFrames returns frames [from, to) of the bundled demo clip.
func clipFrames(t testing.TB, from, to int) [][]byte {
	t.Helper()
	f, err := os.Open(demoClip)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := mjpeg.NewReader(f, mjpeg.Options{})
	var out [][]byte
	for i := 0; i < to; i++ {
		frame, err := r.Next()
		if err != nil {
			t.Fatalf("demo clip frame %d: %v", i, err)
		}
		if i >= from {
			out = append(out, frame)
		}
	}
	return out
}

func writeClip(t testing.TB, frames [][]byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "clip.mjpeg")
	if err := os.WriteFile(path, bytes.Join(frames, nil), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func testConfig(t testing.TB, source, state string) Config {
	return Config{
		DeviceID: "cam-test", StatePath: state,
		Source:  SourceConfig{Path: source},
		Cluster: ClusterConfig{K: 3, SeedFrames: 8},
		Summary: SummaryConfig{EveryFrames: 10},
	}
}

func testOptions() Options {
	return Options{Once: true, Clock: clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

func TestRunCountsCorruptFrames(t *testing.T) {
	frames := clipFrames(t, 0, 12)
	cut := frames[5][:len(frames[5])/2]
	withCorrupt := append(append(append([][]byte{}, frames[:5]...), cut), frames[5:]...)
	withCorrupt = append(withCorrupt, []byte("\xff\xd8\xff\xe0garbage"))
	cfg := testConfig(t, writeClip(t, withCorrupt), filepath.Join(t.TempDir(), "s.db"))

	var assigned strings.Builder
	opts := testOptions()
	opts.Assignments = &assigned
	res, err := Run(context.Background(), cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Frames.Seen != 14 {
		t.Errorf("seen %d frames, want 14", res.Frames.Seen)
	}
	if res.Frames.Corrupt != 2 {
		t.Errorf("corrupt %d frames, want 2", res.Frames.Corrupt)
	}
	if res.Frames.Embedded != 12 {
		t.Errorf("embedded %d frames, want 12", res.Frames.Embedded)
	}
	if n := strings.Count(assigned.String(), "\n"); n != 12 {
		t.Errorf("assignments has %d lines, want 12", n)
	}
	for _, line := range strings.Split(assigned.String(), "\n") {
		if strings.HasPrefix(line, "5,") || strings.HasPrefix(line, "13,") {
			t.Errorf("corrupt frame has an assignment: %q", line)
		}
	}
}

// TestRunResumesStoredState checks that two runs over the halves of a clip
// end in the same clusters as one run over the whole clip.
func TestRunResumesStoredState(t *testing.T) {
	frames := clipFrames(t, 0, 24)
	dir := t.TempDir()

	whole := testConfig(t, writeClip(t, frames), filepath.Join(dir, "whole.db"))
	want, err := Run(context.Background(), whole, testOptions())
	if err != nil {
		t.Fatal(err)
	}

	split := filepath.Join(dir, "split.db")
	first, err := Run(context.Background(), testConfig(t, writeClip(t, frames[:12]), split),
		testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if first.Resumed {
		t.Error("first run reports resumed state")
	}
	second, err := Run(context.Background(), testConfig(t, writeClip(t, frames[12:]), split),
		testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if !second.Resumed {
		t.Error("second run did not resume the stored state")
	}
	if second.Frames != want.Frames {
		t.Errorf("counters after resume %+v, want %+v", second.Frames, want.Frames)
	}
	a, b := storedClusters(t, whole.StatePath), storedClusters(t, split)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("resumed clusters differ from an uninterrupted run:\n%+v\n%+v", a, b)
	}
}

// storedClusters returns the only cluster state in a state file.
func storedClusters(t *testing.T, path string) any {
	t.Helper()
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cfg := testConfig(t, "", path).WithDefaults()
	embedders, err := loadEmbedders(Config{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	state, ok, err := st.LoadClusters(clusterSpace(embedders[0].Identity(), cfg.Cluster.K))
	if err != nil || !ok {
		t.Fatalf("load clusters: ok=%v err=%v", ok, err)
	}
	return state
}

func TestRunRejectsBadConfig(t *testing.T) {
	cfg := testConfig(t, "", filepath.Join(t.TempDir(), "s.db"))
	cfg.Cluster.Metric = "manhattan"
	_, err := Run(context.Background(), cfg, testOptions())
	if !errors.Is(err, ErrConfig) {
		t.Fatalf("err %v, want ErrConfig", err)
	}
	for _, key := range []string{"source.path", "--source", "cluster.metric"} {
		if !strings.Contains(err.Error(), key) {
			t.Errorf("error %q does not name %s", err, key)
		}
	}
}

func TestRunStopsOnCancel(t *testing.T) {
	cfg := testConfig(t, writeClip(t, clipFrames(t, 0, 2)), filepath.Join(t.TempDir(), "s.db"))
	cfg.Source.Loop = true
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	opts := testOptions()
	opts.Once = false
	res, err := Run(ctx, cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Frames.Embedded < 2 {
		t.Errorf("embedded %d frames before the stop, want at least 2", res.Frames.Embedded)
	}
}

func TestRunMissingSourceCreatesNoState(t *testing.T) {
	state := filepath.Join(t.TempDir(), "s.db")
	cfg := testConfig(t, filepath.Join(t.TempDir(), "missing.mjpeg"), state)
	_, err := Run(context.Background(), cfg, testOptions())
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("err %v, want os.ErrNotExist", err)
	}
	if !strings.Contains(err.Error(), "source.path") {
		t.Errorf("error %q does not name source.path", err)
	}
	if _, err := os.Stat(state); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("state file created for a run that could not start: %v", err)
	}
}

func TestRunBadModelFails(t *testing.T) {
	model := filepath.Join(t.TempDir(), "bad.tflite")
	if err := os.WriteFile(model, []byte("not a model"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t, writeClip(t, clipFrames(t, 0, 1)), filepath.Join(t.TempDir(), "s.db"))
	cfg.Model.Path = model
	if _, err := Run(context.Background(), cfg, testOptions()); err == nil {
		t.Fatal("run accepted a malformed model")
	}
}
