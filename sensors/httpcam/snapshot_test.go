package httpcam

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/internal/clock"
	"github.com/edgecluster/edgecluster/sensors"
)

func TestSnapshotPolling(t *testing.T) {
	good := testJPEG(t, 120)
	bodies := [][]byte{good, []byte("<html>busy</html>"), corruptJPEG(good)[:200], good}
	var served int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write(bodies[served%len(bodies)])
		served++
	}))
	defer srv.Close()

	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	fake := clock.NewFake(start)
	s := NewSnapshot(Options{URL: srv.URL, Interval: 2 * time.Second, Clock: fake,
		Logger: quiet})
	defer s.Close()

	want := []error{nil, sensors.ErrCorruptFrame, sensors.ErrCorruptFrame, nil}
	for i, w := range want {
		f, err := s.Next(context.Background())
		if !errors.Is(err, w) {
			t.Fatalf("poll %d: err %v, want %v", i, err, w)
		}
		if at := f.Time.Sub(start); at != time.Duration(i)*2*time.Second {
			t.Errorf("poll %d at %v, want %v", i, at, time.Duration(i)*2*time.Second)
		}
	}
}

func TestSnapshotErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()

	tests := []struct {
		name string
		path string
		want error
	}{
		{"not found", "/missing", ErrStatus},
		{"timeout", "/slow", context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSnapshot(Options{URL: srv.URL + tt.path, Timeout: 100 * time.Millisecond,
				Logger: quiet})
			_, err := s.Next(context.Background())
			if !errors.Is(err, tt.want) {
				t.Errorf("err %v, want %v", err, tt.want)
			}
			if errors.Is(err, sensors.ErrCorruptFrame) {
				t.Errorf("err %v counts as a corrupt frame, want a source error", err)
			}
		})
	}
}
