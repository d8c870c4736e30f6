package hub

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Bounds of the work one cluster map takes.
const (
	// MaxTSNEPoints bounds the points of a t-SNE map. t-SNE of more points
	// takes minutes on a small hub, so a larger map is laid out by PCA and
	// the page shows a note.
	MaxTSNEPoints = 2000

	// MapTimeout bounds the computation of one map. A map that takes
	// longer is not drawn, and its points are not tried again until they
	// change. t-SNE of MaxTSNEPoints 8-d points took 28 s on a busy
	// 2-core amd64 machine.
	MapTimeout = time.Minute
)

// mapCache keeps the last layout of each model and method, keyed by a hash
// of the points, so a page view recomputes a map only when its points
// changed. Failures are kept too, so bad points are not retried and
// logged on every view. One view computes a layout while others with the
// same points wait for it; the mutex guards only the map.
type mapCache struct {
	mu      sync.Mutex
	layouts map[string]*mapEntry
}

// mapEntry is one layout, done once its done channel is closed. An
// abandoned entry was cut short by the end of its view's request.
type mapEntry struct {
	sum       [sha256.Size]byte
	done      chan struct{}
	coords    [][]float64
	err       error
	abandoned bool
}

// mapLayout is the result of mapCache.layout.
type mapLayout struct {
	Coords    [][]float64   // nil when there is no map
	Exemplars []mapExemplar // the exemplars at Coords after the centroids
	Method    string        // the method used
	Notes     []string      // reasons the map differs from the request
}

// layout returns the 2-D coordinates of the members' map points with
// method, or nil coordinates when there are fewer than minMapPoints, the
// layout failed (which it logs once for the same points) or ctx ended.
// Points are the centroids in member order, then the exemplars that
// newMapInput keeps. Above MaxTSNEPoints in all it uses PCA instead of
// t-SNE.
func (c *mapCache) layout(ctx context.Context, log *slog.Logger, model, method string,
	ms []Member, ex []mapExemplar) mapLayout {
	out := mapLayout{Method: method}
	in := newMapInput(ms, ex)
	if in.Len() < minMapPoints {
		return out
	}
	out.Exemplars = in.Exemplars
	if len(in.Exemplars) < in.Stored {
		out.Notes = append(out.Notes, fmt.Sprintf("this map shows %d of %d exemplars, "+
			"the newest of each cluster first", len(in.Exemplars), in.Stored))
	}
	if method == MapTSNE && in.Len() > MaxTSNEPoints {
		out.Method = MapPCA
		out.Notes = append(out.Notes, fmt.Sprintf("t-SNE maps at most %d points; "+
			"these %d are laid out by PCA", MaxTSNEPoints, in.Len()))
	}
	out.Coords = c.coords(ctx, log, model, out.Method, pointsHash(out.Method, in), in)
	return out
}

// coords returns the cached layout of in with hash sum, and computes it
// when the cache lacks it. It returns nil when the layout failed or ctx
// ended.
func (c *mapCache) coords(ctx context.Context, log *slog.Logger, model, method string,
	sum [sha256.Size]byte, in mapInput) [][]float64 {
	for ctx.Err() == nil {
		e, mine := c.entry(mapKey(model, method), sum)
		if mine {
			c.compute(ctx, log, e, model, method, in.vectors())
		}
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil
		}
		if !e.abandoned {
			return e.coords
		}
	}
	return nil
}

// entry returns the entry of key for sum, and true when the caller made it
// and must compute it.
func (c *mapCache) entry(key string, sum [sha256.Size]byte) (*mapEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.layouts[key]; ok && e.sum == sum {
		return e, false
	}
	if c.layouts == nil {
		c.layouts = map[string]*mapEntry{}
	}
	e := &mapEntry{sum: sum, done: make(chan struct{})}
	c.layouts[key] = e
	return e, true
}

// compute lays out x into e within MapTimeout. When ctx ends first it
// drops e, so that the next view tries again.
func (c *mapCache) compute(ctx context.Context, log *slog.Logger, e *mapEntry,
	model, method string, x [][]float64) {
	defer close(e.done)
	start := time.Now()
	run, cancel := context.WithTimeout(ctx, MapTimeout)
	defer cancel()
	e.coords, e.err = computeLayout(run, method, x)

	attrs := []any{"model", model, "method", method, "points", len(x),
		"seconds", time.Since(start).Seconds()}
	switch {
	case e.err == nil:
		log.Info("cluster map computed", attrs...)
	case ctx.Err() != nil:
		e.coords, e.abandoned = nil, true
		c.drop(mapKey(model, method), e)
		log.Info("cluster map abandoned", append(attrs, "err", e.err)...)
	case errors.Is(e.err, context.DeadlineExceeded):
		e.coords = nil
		log.Warn("cluster map timed out", append(attrs, "timeout", MapTimeout)...)
	default:
		e.coords = nil
		log.Warn("cluster map failed", append(attrs, "err", e.err)...)
	}
}

func mapKey(model, method string) string { return model + "/" + method }

// drop removes e unless another entry replaced it.
func (c *mapCache) drop(key string, e *mapEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.layouts[key] == e {
		delete(c.layouts, key)
	}
}
