package reduce

import "math"

// maxTreeDepth bounds subdivision. A leaf at this depth keeps every point
// that reaches it, which happens only for points closer than 2^-maxTreeDepth
// of the map's width.
const maxTreeDepth = 48

// spTree is a quadtree (dims 2) or octree (dims 3) over an embedding stored
// row-major in y. Each cell keeps its point count and the sum of its
// points, so its centre of mass costs one division.
type spTree struct {
	dims  int
	y     []float64
	cells []cell
}

// cell is a square or cube with half-width half around centre. A leaf has
// child 0 and holds points, which share one position unless the leaf is at
// maxTreeDepth. An inner cell's 2^dims children start at child.
type cell struct {
	centre [3]float64
	half   float64
	sum    [3]float64
	count  int
	child  int
	points []int
}

func newSPTree(y []float64, dims int) *spTree {
	n := len(y) / dims
	t := &spTree{dims: dims, y: y, cells: make([]cell, 1, 2*n+1)}
	lo, hi := bounds(y, dims)
	half := 0.0
	for d := 0; d < dims; d++ {
		t.cells[0].centre[d] = (lo[d] + hi[d]) / 2
		half = max(half, (hi[d]-lo[d])/2)
	}
	// The margin keeps points on the boundary strictly inside.
	t.cells[0].half = half*(1+1e-6) + 1e-12
	for i := 0; i < n; i++ {
		t.insert(0, i, 0)
	}
	return t
}

func bounds(y []float64, dims int) (lo, hi [3]float64) {
	for d := 0; d < dims; d++ {
		lo[d], hi[d] = math.Inf(1), math.Inf(-1)
	}
	for i := 0; i < len(y); i += dims {
		for d := 0; d < dims; d++ {
			lo[d], hi[d] = min(lo[d], y[i+d]), max(hi[d], y[i+d])
		}
	}
	return lo, hi
}

func (t *spTree) point(i int) []float64 {
	return t.y[i*t.dims : (i+1)*t.dims]
}

func (t *spTree) insert(c, i, depth int) {
	t.cells[c].count++
	for d, v := range t.point(i) {
		t.cells[c].sum[d] += v
	}
	if t.cells[c].child != 0 {
		t.insert(t.childFor(c, i), i, depth+1)
		return
	}

	leaf := &t.cells[c]
	if len(leaf.points) == 0 || depth >= maxTreeDepth || t.samePosition(leaf.points[0], i) {
		leaf.points = append(leaf.points, i)
		return
	}
	t.split(c)
	for _, p := range t.cells[c].points {
		t.insert(t.childFor(c, p), p, depth+1)
	}
	t.cells[c].points = nil
	t.insert(t.childFor(c, i), i, depth+1)
}

func (t *spTree) samePosition(a, b int) bool {
	pa, pb := t.point(a), t.point(b)
	for d := range pa {
		if pa[d] != pb[d] {
			return false
		}
	}
	return true
}

// split gives leaf c its 2^dims children. Child k lies on the upper side
// of dimension d when bit d of k is set.
func (t *spTree) split(c int) {
	first := len(t.cells)
	parent := t.cells[c]
	half := parent.half / 2
	for k := 0; k < 1<<t.dims; k++ {
		child := cell{half: half}
		for d := 0; d < t.dims; d++ {
			child.centre[d] = parent.centre[d] - half
			if k&(1<<d) != 0 {
				child.centre[d] = parent.centre[d] + half
			}
		}
		t.cells = append(t.cells, child)
	}
	t.cells[c].child = first
}

func (t *spTree) childFor(c, i int) int {
	k := 0
	for d, v := range t.point(i) {
		if v > t.cells[c].centre[d] {
			k |= 1 << d
		}
	}
	return t.cells[c].child + k
}

// repulsion adds to force the unnormalised repulsive force on point i,
// the sum over j != i of q_ij² Z² (y_i - y_j) with q_ij Z = 1/(1+|y_i-y_j|²),
// and returns the sum of q_ij Z, point i's share of the normaliser Z. When a
// cell's diagonal is less than theta times its distance from y_i, its
// points count as one mass at their centre of mass, so theta 0 visits
// every point.
func (t *spTree) repulsion(c, i int, theta2 float64, force []float64) float64 {
	node := &t.cells[c]
	if node.count == 0 {
		return 0
	}
	if node.child == 0 {
		return t.leafRepulsion(node, i, force)
	}

	yi := t.point(i)
	var diff [3]float64
	dist2 := 0.0
	for d, v := range yi {
		diff[d] = v - node.sum[d]/float64(node.count)
		dist2 += diff[d] * diff[d]
	}
	diagonal2 := 4 * node.half * node.half * float64(t.dims)
	if diagonal2 < theta2*dist2 {
		q := 1 / (1 + dist2)
		m := float64(node.count) * q
		for d := range yi {
			force[d] += m * q * diff[d]
		}
		return m
	}

	sumQ := 0.0
	for k := 0; k < 1<<t.dims; k++ {
		sumQ += t.repulsion(node.child+k, i, theta2, force)
	}
	return sumQ
}

func (t *spTree) leafRepulsion(leaf *cell, i int, force []float64) float64 {
	yi := t.point(i)
	sumQ := 0.0
	for _, j := range leaf.points {
		if j == i {
			continue
		}
		sumQ += repelPair(yi, t.point(j), force)
	}
	return sumQ
}

// repelPair adds the unnormalised repulsive force of y_j on y_i,
// q² (y_i - y_j) with q = 1/(1+|y_i-y_j|²), to force and returns q.
func repelPair(yi, yj, force []float64) float64 {
	var diff [3]float64
	dist2 := 0.0
	for d, v := range yi {
		diff[d] = v - yj[d]
		dist2 += diff[d] * diff[d]
	}
	q := 1 / (1 + dist2)
	for d := range yi {
		force[d] += q * q * diff[d]
	}
	return q
}
