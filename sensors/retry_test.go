package sensors

import (
	"context"
	"errors"
	"image"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/internal/clock"
)

// scripted is a Source that returns a fixed list of results, then io.EOF.
type scripted struct {
	errs   []error
	closed bool
}

func (s *scripted) Next(context.Context) (Frame, error) {
	if len(s.errs) == 0 {
		return Frame{}, io.EOF
	}
	err := s.errs[0]
	s.errs = s.errs[1:]
	return Frame{Seq: 99, Image: image.NewGray(image.Rect(0, 0, 1, 1))}, err
}

func (s *scripted) Close() error {
	s.closed = true
	return nil
}

func TestRetryReopensWithBackoff(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	fake := clock.NewFake(start)
	refused := errors.New("connection refused")
	first := &scripted{errs: []error{nil, ErrCorruptFrame}}
	second := &scripted{errs: []error{nil}}
	opens := []func() (Source, error){
		func() (Source, error) { return nil, refused },
		func() (Source, error) { return nil, refused },
		func() (Source, error) { return first, nil },
		func() (Source, error) { return second, nil },
	}
	var openedAt []time.Duration
	var states []State
	r := Retry(func(context.Context) (Source, error) {
		openedAt = append(openedAt, fake.Now().Sub(start))
		next := opens[0]
		opens = opens[1:]
		return next()
	}, RetryOptions{Name: "test", MinBackoff: time.Second, MaxBackoff: 3 * time.Second,
		Clock: fake, Logger: slog.New(slog.DiscardHandler),
		OnState: func(s State) { states = append(states, s) }})
	defer r.Close()

	wantErrs := []error{nil, ErrCorruptFrame, nil}
	for i, want := range wantErrs {
		f, err := r.Next(context.Background())
		if !errors.Is(err, want) {
			t.Fatalf("frame %d: err %v, want %v", i, err, want)
		}
		if f.Seq != uint64(i) {
			t.Errorf("frame %d: Seq %d, want %d", i, f.Seq, i)
		}
	}

	wantOpened := []time.Duration{0, time.Second, 3 * time.Second, 4 * time.Second}
	if len(openedAt) != len(wantOpened) {
		t.Fatalf("opened at %v, want %v", openedAt, wantOpened)
	}
	for i := range wantOpened {
		if openedAt[i] != wantOpened[i] {
			t.Errorf("open %d at %v, want %v", i, openedAt[i], wantOpened[i])
		}
	}
	if !first.closed {
		t.Error("ended source was not closed")
	}

	wantUp := []bool{false, true, false, true}
	if len(states) != len(wantUp) {
		t.Fatalf("states %v, want up/down %v", states, wantUp)
	}
	for i, up := range wantUp {
		if states[i].Up != up || (states[i].Err == nil) != up {
			t.Errorf("state %d = %+v, want up=%v", i, states[i], up)
		}
	}
}

func TestRetryStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	r := Retry(func(context.Context) (Source, error) {
		cancel()
		return nil, errors.New("no camera")
	}, RetryOptions{Logger: slog.New(slog.DiscardHandler)})
	if _, err := r.Next(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("err %v, want context.Canceled", err)
	}
}
