package quality

// DefaultWindowCapacity is the capacity NewWindow uses when given 0.
const DefaultWindowCapacity = 256

// Window is a bounded ring of the most recent embeddings. When full, Add
// drops the oldest embedding. A Window is not safe for concurrent use.
type Window struct {
	vectors [][]float32
	next    int // slot Add writes next once the ring is full
}

// NewWindow returns an empty window that keeps up to capacity embeddings.
// A capacity of 0 or less means DefaultWindowCapacity.
func NewWindow(capacity int) *Window {
	if capacity <= 0 {
		capacity = DefaultWindowCapacity
	}
	return &Window{vectors: make([][]float32, 0, capacity)}
}

// Add stores a copy of vec, dropping the oldest embedding when the window is
// full.
func (w *Window) Add(vec []float32) {
	stored := append([]float32(nil), vec...)
	if len(w.vectors) < cap(w.vectors) {
		w.vectors = append(w.vectors, stored)
		return
	}

	w.vectors[w.next] = stored
	w.next = (w.next + 1) % len(w.vectors)
}

// Points returns the stored embeddings, oldest first. The outer slice is new
// on each call. The embeddings themselves are shared with the window, which
// never modifies them, so callers must not modify them either.
func (w *Window) Points() [][]float32 {
	out := make([][]float32, 0, len(w.vectors))
	out = append(out, w.vectors[w.next:]...)
	return append(out, w.vectors[:w.next]...)
}

// Len returns the number of stored embeddings.
func (w *Window) Len() int {
	return len(w.vectors)
}

// Cap returns the maximum number of stored embeddings.
func (w *Window) Cap() int {
	return cap(w.vectors)
}
