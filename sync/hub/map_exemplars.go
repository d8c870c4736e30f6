package hub

import "github.com/edgecluster/edgecluster/sync/wire"

// MaxMapExemplars bounds the exemplars one cluster map places. Each one is
// a row of the layout's input, 10 kB as float64 for a 1280-d model, and a
// hub keeps up to MaxExemplarsPerDevice per device. Past the bound the map
// keeps the newest exemplars of every cluster in turn.
const MaxMapExemplars = 4000

// mapExemplar is one stored exemplar embedding that a cluster map places
// beside the centroids.
type mapExemplar struct {
	Device  string
	Cluster int
	Frame   uint64
	Label   string // the exemplar's own label, "" when it has none
	Vector  wire.Vector
}

// addMapExemplars adds the exemplars of d that share its centroids' space
// to byModel, keyed like members. Such exemplars were made by the
// summary's model, have its dimensions and belong to a cluster of the
// summary. A device that reduces its centroids adds none, because its
// exemplars keep the model's full dimensions.
func addMapExemplars(byModel map[string][]mapExemplar, d Device, stored []storedExemplar,
	names map[string]string) {
	if d.Summary == nil || d.Summary.Reduction != nil {
		return
	}
	clusters := map[int]bool{}
	for _, c := range d.Summary.Clusters {
		clusters[c.ID] = true
	}
	model := d.Summary.Model
	key := modelKey(model)
	for _, e := range stored {
		if e.Model != model.SHA256 || len(e.Vector) != model.Dims || !clusters[e.Cluster] {
			continue
		}
		byModel[key] = append(byModel[key], mapExemplar{Device: d.ID, Cluster: e.Cluster,
			Frame: e.Frame, Label: names[exemplarRef(d.ID, e.Frame)], Vector: e.Vector})
	}
}

// newestExemplars returns at most limit of ex in their order. Over the
// limit it takes the newest exemplar of every cluster, then the next
// newest of every cluster, and so on. ex lists each device's exemplars in
// frame order.
func newestExemplars(ex []mapExemplar, limit int) []mapExemplar {
	if len(ex) <= limit {
		return ex
	}
	var order []string
	byCluster := map[string][]int{}
	for i, e := range ex {
		ref := clusterRef(e.Device, e.Cluster)
		if byCluster[ref] == nil {
			order = append(order, ref)
		}
		byCluster[ref] = append(byCluster[ref], i)
	}

	keep := make([]bool, len(ex))
	for kept, round := 0, 1; kept < limit; round++ {
		for _, ref := range order {
			idx := byCluster[ref]
			if round <= len(idx) && kept < limit {
				keep[idx[len(idx)-round]] = true
				kept++
			}
		}
	}
	out := make([]mapExemplar, 0, limit)
	for i, e := range ex {
		if keep[i] {
			out = append(out, e)
		}
	}
	return out
}
