package daemon

import (
	"context"

	"github.com/edgecluster/edgecluster/sensors"
)

// frameResult is the frame and error of one sensors.Source.Next call.
type frameResult struct {
	frame sensors.Frame
	err   error
}

// frameReader calls Next of a live source on its own goroutine, one call
// per request, so that the pipeline can apply commands while the source
// waits for a camera that is down. The pipeline uses each frame before it
// requests the next one, so the source still has one caller at a time.
// Source state changes reach the pipeline through states, so the
// pipeline's fields keep a single writer.
type frameReader struct {
	requests chan struct{}
	results  chan frameResult
	states   chan sensors.State
	cancel   context.CancelFunc
	done     chan struct{}
	waiting  bool // a request is out and its result not yet taken
}

// startFrameReader starts the reader goroutine, which stops when ctx ends
// or stop is called.
func startFrameReader(ctx context.Context, src sensors.Source) *frameReader {
	ctx, cancel := context.WithCancel(ctx)
	r := &frameReader{requests: make(chan struct{}), results: make(chan frameResult, 1),
		states: make(chan sensors.State, 16), cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		for {
			select {
			case <-ctx.Done():
				return
			case <-r.requests:
			}
			f, err := src.Next(ctx)
			r.results <- frameResult{frame: f, err: err}
		}
	}()
	return r
}

// stop ends the reader goroutine and waits for it, so that the source can
// be closed. A Next call in progress returns once its context ends.
func (r *frameReader) stop() {
	r.cancel()
	<-r.done
}

// startReader starts a frame reader for a live source. File replay never
// waits for a camera, so it keeps calling Next on the pipeline goroutine.
func (p *pipeline) startReader(ctx context.Context) {
	if p.srcStatus != nil {
		p.reader = startFrameReader(ctx, p.source)
	}
}

// stopReader stops the frame reader, if one runs.
func (p *pipeline) stopReader() {
	if p.reader != nil {
		p.reader.stop()
		p.reader = nil
	}
}

// readFrame returns the source's next frame. While a live source waits for
// it, readFrame applies commands, source state changes and due summaries.
// It returns an error from those only when the state file cannot be
// written.
func (p *pipeline) readFrame(ctx context.Context) (sensors.Frame, error) {
	r := p.reader
	if r == nil {
		return p.source.Next(ctx)
	}
	if !r.waiting {
		select {
		case r.requests <- struct{}{}:
			r.waiting = true
		case <-r.done:
			// The reader stops when ctx ends or after stopReader.
			if err := ctx.Err(); err != nil {
				return sensors.Frame{}, err
			}
			return sensors.Frame{}, context.Canceled
		}
	}
	for {
		select {
		case res := <-r.results:
			r.waiting = false
			p.applySourceStates()
			return res.frame, res.err
		case st := <-r.states:
			p.applySourceState(st)
		case cmd := <-p.commands:
			p.idleChanges = true
			if err := p.apply(cmd); err != nil {
				return sensors.Frame{}, err
			}
		case <-p.idleSummaryTimer():
			if err := p.summarizeIfChanged(); err != nil {
				return sensors.Frame{}, err
			}
		}
	}
}

// applySourceStates applies the source state changes the reader reported
// before its latest frame.
func (p *pipeline) applySourceStates() {
	for {
		select {
		case st := <-p.reader.states:
			p.applySourceState(st)
		default:
			return
		}
	}
}
