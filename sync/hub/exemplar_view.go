package hub

import (
	"fmt"

	"github.com/edgecluster/edgecluster/sync/wire"
)

// maxCardThumbs is the number of most recent exemplars a cluster card shows.
const maxCardThumbs = 8

// thumbView is one exemplar thumbnail on a cluster card.
type thumbView struct {
	Device string
	Frame  uint64
	URL    string
	Label  string // the exemplar's own label, "" when it has none
}

// exemplarPoint is a labelled or unlabelled exemplar embedding that label
// propagation uses beside the cluster centroids.
type exemplarPoint struct {
	Label  string
	Vector wire.Vector
}

// deviceExemplars returns the stored exemplars of the device's current
// state file, whose frame numbers the summary uses. A read error is logged
// and shows as no exemplars, so the page still renders.
func (h *Hub) deviceExemplars(d Device) []storedExemplar {
	stored, err := h.store.exemplars(d.ID)
	if err != nil {
		h.log.Warn("exemplars not read", "device", d.ID, "err", err)
	}
	current := stored[:0]
	for _, e := range stored {
		if e.Epoch == d.Epoch || e.Epoch == "" || d.Epoch == "" {
			current = append(current, e)
		}
	}
	return current
}

// exemplarLabels returns the names of current exemplar labels by
// DEVICE/FRAME.
func exemplarLabels(all []Label) map[string]string {
	out := map[string]string{}
	for _, l := range all {
		if l.Exemplar != nil && l.Name != "" && l.State != LabelRetired {
			out[exemplarRef(l.Device, *l.Exemplar)] = l.Name
		}
	}
	return out
}

func exemplarRef(device string, frame uint64) string {
	return fmt.Sprintf("%s/%d", device, frame)
}

// thumbs returns the newest maxCardThumbs exemplars of each cluster.
func thumbs(device string, stored []storedExemplar, names map[string]string) map[int][]thumbView {
	out := map[int][]thumbView{}
	for i := len(stored) - 1; i >= 0; i-- {
		e := stored[i]
		if len(out[e.Cluster]) == maxCardThumbs {
			continue
		}
		out[e.Cluster] = append(out[e.Cluster], thumbView{Device: device, Frame: e.Frame,
			URL: exemplarURL(device, e.Frame), Label: names[exemplarRef(device, e.Frame)]})
	}
	return out
}

// addExemplarPoints adds the exemplars of d made with its current model
// to points, keyed like members by model.
func addExemplarPoints(points map[string][]exemplarPoint, d Device, stored []storedExemplar,
	names map[string]string) {
	if d.Summary == nil {
		return
	}
	model := modelKey(d.Summary.Model)
	for _, e := range stored {
		if e.Model != d.Summary.Model.SHA256 || len(e.Vector) != d.Summary.Model.Dims {
			continue
		}
		points[model] = append(points[model], exemplarPoint{
			Label: names[exemplarRef(d.ID, e.Frame)], Vector: e.Vector})
	}
}
