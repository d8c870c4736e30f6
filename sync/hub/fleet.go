package hub

import (
	"fmt"
	"math"
	"sort"

	"github.com/edgecluster/edgecluster/sync/wire"
)

// DefaultFleetDistance is the cosine distance used when
// Options.FleetDistance is 0. The bundled model's embeddings are outputs of
// RELU6, so every cosine between them is positive and distances are small.
// In the demo clip's float-model embeddings, centroids of segments showing
// one scene are at most 0.032 apart, and those of different scenes at least
// 0.054 (TestDefaultFleetDistanceOnClip checks this default against them).
const DefaultFleetDistance = 0.04

// Member is one cluster of one device.
type Member struct {
	Device   string      `json:"device"`
	Cluster  int         `json:"cluster"`
	Count    uint64      `json:"count"`
	Label    string      `json:"label,omitempty"`
	Centroid wire.Vector `json:"-"`
}

// FleetGroup is a set of clusters on different devices with the same model
// whose centroids are near, so they likely show the same scene.
type FleetGroup struct {
	Model   string   `json:"model"`
	Members []Member `json:"members"`
}

// members returns the clusters of each device's latest summary grouped by
// model SHA-256 and reduction, with their hub labels. Centroids reduced by
// a device's own PCA basis only group with centroids of the same basis.
func members(devs []Device, labelled map[string]string) map[string][]Member {
	out := map[string][]Member{}
	for _, d := range devs {
		if d.Summary == nil {
			continue
		}
		model := modelKey(d.Summary.Model)
		if r := d.Summary.Reduction; r != nil {
			model += " " + r.Key()
		}
		for _, c := range d.Summary.Clusters {
			out[model] = append(out[model], Member{Device: d.ID, Cluster: c.ID, Count: c.Count,
				Label: labelled[clusterRef(d.ID, c.ID)], Centroid: c.Centroid})
		}
	}
	return out
}

// fleetGroups joins clusters of different devices whose centroids are
// within maxDist cosine distance, transitively, and returns the groups
// that span at least two devices.
func fleetGroups(byModel map[string][]Member, maxDist float64) []FleetGroup {
	var out []FleetGroup
	for model, ms := range byModel {
		parent := make([]int, len(ms))
		for i := range parent {
			parent[i] = i
		}
		for i := range ms {
			for j := i + 1; j < len(ms); j++ {
				if ms[i].Device != ms[j].Device &&
					cosineDistance(ms[i].Centroid, ms[j].Centroid) <= maxDist {
					parent[find(parent, i)] = find(parent, j)
				}
			}
		}
		out = append(out, collect(model, ms, parent)...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Members[0].Device < out[j].Members[0].Device })
	return out
}

func find(parent []int, i int) int {
	for parent[i] != i {
		parent[i] = parent[parent[i]]
		i = parent[i]
	}
	return i
}

func collect(model string, ms []Member, parent []int) []FleetGroup {
	groups := map[int][]Member{}
	for i, m := range ms {
		root := find(parent, i)
		groups[root] = append(groups[root], m)
	}
	var out []FleetGroup
	for _, g := range groups {
		devices := map[string]bool{}
		for _, m := range g {
			devices[m.Device] = true
		}
		if len(devices) >= 2 {
			out = append(out, FleetGroup{Model: model, Members: g})
		}
	}
	return out
}

// cosineDistance returns 1 - cos(a, b), or 2 for vectors of other lengths
// or of zero norm.
func cosineDistance(a, b wire.Vector) float64 {
	if len(a) != len(b) || len(a) == 0 {
		return 2
	}
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	if na == 0 || nb == 0 {
		return 2
	}
	return 1 - dot/math.Sqrt(na*nb)
}

func clusterRef(device string, cluster int) string {
	return string(labelKey(device, cluster, nil))
}

// modelKey names a model by name and the start of its SHA-256, so models
// with the same name and other weights stay apart.
func modelKey(m wire.Model) string {
	return fmt.Sprintf("%s (%.12s)", m.Name, m.SHA256)
}
