package reduce

import (
	"math"
	"math/rand/v2"
	"slices"
)

// vpTree is a vantage-point tree over rows for exact Euclidean k-nearest-
// neighbour search.
type vpTree struct {
	rows  [][]float64
	nodes []vpNode
}

// vpNode splits its subtree at radius around the row index: rows of the
// inside subtree are at most radius away, rows of the outside subtree at
// least radius away. inside and outside are node positions or -1.
type vpNode struct {
	index           int
	radius          float64
	inside, outside int
}

// neighbour is one search result with its Euclidean distance.
type neighbour struct {
	index    int
	distance float64
}

func newVPTree(rows [][]float64, rng *rand.Rand) *vpTree {
	t := &vpTree{rows: rows, nodes: make([]vpNode, 0, len(rows))}
	items := make([]int, len(rows))
	for i := range items {
		items[i] = i
	}
	t.build(items, rng)
	return t
}

// build adds the subtree over items and returns its root position.
func (t *vpTree) build(items []int, rng *rand.Rand) int {
	if len(items) == 0 {
		return -1
	}
	pick := rng.IntN(len(items))
	items[0], items[pick] = items[pick], items[0]
	vantage := items[0]
	rest := items[1:]

	pos := len(t.nodes)
	t.nodes = append(t.nodes, vpNode{index: vantage, inside: -1, outside: -1})
	if len(rest) == 0 {
		return pos
	}
	distance := make(map[int]float64, len(rest))
	for _, i := range rest {
		distance[i] = euclidean(t.rows[vantage], t.rows[i])
	}
	slices.SortFunc(rest, func(a, b int) int {
		if c := cmpFloat(distance[a], distance[b]); c != 0 {
			return c
		}
		return a - b
	})

	median := len(rest) / 2
	radius := distance[rest[median]]
	inside := t.build(rest[:median], rng)
	outside := t.build(rest[median:], rng)
	t.nodes[pos].radius, t.nodes[pos].inside, t.nodes[pos].outside = radius, inside, outside
	return pos
}

// search returns the k rows nearest to row query, excluding query itself,
// sorted by distance and then index.
func (t *vpTree) search(query, k int) []neighbour {
	h := &maxHeap{}
	t.visit(0, query, k, h)
	out := slices.Clone(h.items)
	slices.SortFunc(out, compareNeighbours)
	return out
}

func (t *vpTree) visit(pos, query, k int, h *maxHeap) {
	if pos < 0 {
		return
	}
	node := t.nodes[pos]
	d := euclidean(t.rows[query], t.rows[node.index])
	if node.index != query {
		h.offer(neighbour{node.index, d}, k)
	}

	first, second := node.inside, node.outside
	if d >= node.radius {
		first, second = second, first
	}
	for _, child := range [2]int{first, second} {
		tau := h.bound(k)
		if child == node.inside && d-tau <= node.radius ||
			child == node.outside && d+tau >= node.radius {
			t.visit(child, query, k, h)
		}
	}
}

// maxHeap keeps the k best neighbours with the farthest on top.
type maxHeap struct{ items []neighbour }

func (h *maxHeap) bound(k int) float64 {
	if len(h.items) < k {
		return math.Inf(1)
	}
	return h.items[0].distance
}

func (h *maxHeap) offer(n neighbour, k int) {
	if len(h.items) < k {
		h.items = append(h.items, n)
		h.up(len(h.items) - 1)
		return
	}
	if compareNeighbours(n, h.items[0]) >= 0 {
		return
	}
	h.items[0] = n
	h.down(0)
}

func (h *maxHeap) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if compareNeighbours(h.items[i], h.items[parent]) <= 0 {
			return
		}
		h.items[i], h.items[parent] = h.items[parent], h.items[i]
		i = parent
	}
}

func (h *maxHeap) down(i int) {
	for {
		top := i
		for _, c := range [2]int{2*i + 1, 2*i + 2} {
			if c < len(h.items) && compareNeighbours(h.items[c], h.items[top]) > 0 {
				top = c
			}
		}
		if top == i {
			return
		}
		h.items[i], h.items[top] = h.items[top], h.items[i]
		i = top
	}
}

// compareNeighbours orders by distance, then index, so that ties between
// duplicate rows resolve the same way on every run.
func compareNeighbours(a, b neighbour) int {
	if c := cmpFloat(a.distance, b.distance); c != 0 {
		return c
	}
	return a.index - b.index
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func euclidean(a, b []float64) float64 {
	s := 0.0
	for j, v := range a {
		d := v - b[j]
		s += d * d
	}
	return math.Sqrt(s)
}
