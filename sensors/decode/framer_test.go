package decode

import (
	"errors"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/internal/clock"
)

func TestFramerRateLimit(t *testing.T) {
	jpg := encodeJPEG(t, quadrants(16, 16))
	fake := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	f := NewFramer(FramerOptions{FPS: 2, Clock: fake})
	tests := []struct {
		after       time.Duration
		data        []byte
		wantOK      bool
		wantSkipped uint64
		wantErr     error
	}{
		{0, jpg, true, 0, nil},
		{100 * time.Millisecond, jpg, false, 0, nil},
		{100 * time.Millisecond, jpg, false, 0, nil},
		{300 * time.Millisecond, jpg, true, 2, nil},
		{500 * time.Millisecond, []byte("junk"), true, 0, ErrUnsupported},
		{500 * time.Millisecond, jpg, true, 0, nil},
	}
	for i, tt := range tests {
		fake.Advance(tt.after)
		frame, ok, err := f.Frame(tt.data)
		if ok != tt.wantOK {
			t.Fatalf("frame %d: ok %v, want %v", i, ok, tt.wantOK)
		}
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("frame %d: err %v, want %v", i, err, tt.wantErr)
		}
		if ok && frame.Skipped != tt.wantSkipped {
			t.Errorf("frame %d: skipped %d, want %d", i, frame.Skipped, tt.wantSkipped)
		}
		if ok && tt.wantErr == nil && frame.Image == nil {
			t.Errorf("frame %d: no image", i)
		}
	}
}
