package hub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/edgecluster/edgecluster/sync/wire"
)

// chartSummaries is the number of most recent summaries a card's chart shows.
const chartSummaries = 60

// pageData is what the page template renders.
type pageData struct {
	User      string
	CSRF      string
	CanLogin  bool
	Devices   []deviceView
	Maps      []clusterMap
	MapMethod string
	MapName   string
	Fleet     []FleetGroup
	Suggested []suggestionView
	Queue     []suggestionView
}

type deviceView struct {
	Device
	State      string
	Clusters   []clusterView
	Refinement *Refinement // latest since the hub started, nil when none
}

type clusterView struct {
	wire.Cluster
	Device string
	Label  *Label
	Chart  template.HTML
	Thumbs []thumbView
}

type clusterMap struct {
	Model     string
	Points    []mapPoint
	Exemplars []mapDot
	Notes     []string // reasons the map differs from the request
}

func (h *Hub) servePage(w http.ResponseWriter, r *http.Request) {
	data, err := h.pageData(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'unsafe-inline'; "+
		"img-src 'self' data:; frame-ancestors 'none'")
	if err := pageTemplate.Execute(w, data); err != nil {
		h.log.Warn("page render failed", "err", err)
	}
}

func (h *Hub) pageData(r *http.Request) (pageData, error) {
	data := pageData{CanLogin: h.opts.PasswordHash != ""}
	if ses, ok := h.session(r); ok {
		data.User, data.CSRF = ses.user, ses.csrf
	}
	devs, err := h.store.devices()
	if err != nil {
		return data, err
	}
	all, err := h.store.labels("")
	if err != nil {
		return data, err
	}
	byRef, names := indexLabels(all)
	exNames := exemplarLabels(all)
	points := map[string][]exemplarPoint{}
	mapEx := map[string][]mapExemplar{}
	for _, d := range devs {
		stored := h.deviceExemplars(d)
		data.Devices = append(data.Devices, h.deviceView(d, byRef, thumbs(d.ID, stored, exNames)))
		addExemplarPoints(points, d, stored, exNames)
		addMapExemplars(mapEx, d, stored, exNames)
	}
	byModel := members(devs, names)
	data.MapMethod, data.MapName = mapMethod(r)
	data.Maps = h.clusterMaps(r.Context(), byModel, mapEx, data.MapMethod)
	data.Fleet = fleetGroups(byModel, h.fleetDistance())
	data.Suggested, data.Queue = h.suggest.suggestions(byModel, points)
	return data, nil
}

// mapMethod returns the method named by the "map" query parameter and its
// heading text, or PCA when the parameter is missing or unknown.
func mapMethod(r *http.Request) (string, string) {
	method := r.URL.Query().Get("map")
	if name, ok := mapMethodName(method); ok {
		return method, name
	}
	return MapPCA, "PCA"
}

// clusterMaps returns one map per model, sorted by model, from the cache.
// Each map places the model's centroids and exemplars in one layout.
func (h *Hub) clusterMaps(ctx context.Context, byModel map[string][]Member,
	exemplars map[string][]mapExemplar, method string) []clusterMap {
	var maps []clusterMap
	for model, ms := range byModel {
		l := h.maps.layout(ctx, h.log, model, method, ms, exemplars[model])
		if l.Coords == nil {
			continue
		}
		m := clusterMap{Model: model, Notes: l.Notes}
		m.Points, m.Exemplars = scale(ms, l.Exemplars, l.Coords)
		maps = append(maps, m)
	}
	sort.Slice(maps, func(i, j int) bool { return maps[i].Model < maps[j].Model })
	return maps
}

func (h *Hub) fleetDistance() float64 {
	if h.opts.FleetDistance > 0 {
		return h.opts.FleetDistance
	}
	return DefaultFleetDistance
}

// indexLabels returns the cluster labels that are not retired by reference,
// and the names of those that are neither retired nor rejected. A retired
// label named a cluster whose id may now name another one, after a reset or
// a new state file, so it is not shown on the card of that id.
func indexLabels(all []Label) (map[string]*Label, map[string]string) {
	byRef, names := map[string]*Label{}, map[string]string{}
	for i := range all {
		l := &all[i]
		if l.Exemplar != nil || l.State == LabelRetired {
			continue
		}
		ref := clusterRef(l.Device, l.Cluster)
		byRef[ref] = l
		if l.State != LabelRejected && l.Name != "" {
			names[ref] = l.Name
		}
	}
	return byRef, names
}

func (h *Hub) deviceView(d Device, byRef map[string]*Label,
	thumbs map[int][]thumbView) deviceView {
	v := deviceView{Device: d, State: "unknown"}
	if rec, ok := h.Refinements()[d.ID]; ok {
		v.Refinement = &rec
	}
	if d.Status != nil {
		v.State = d.Status.State
	}
	if d.Summary == nil {
		return v
	}
	counts := h.countHistory(d)
	for _, c := range d.Summary.Clusters {
		chart := countChart(counts[c.ID], "summaries")
		if c.Hourly != nil && len(c.Hourly.Counts) >= 2 {
			chart = countChart(c.Hourly.Counts, "hours")
		}
		v.Clusters = append(v.Clusters, clusterView{Cluster: c, Device: d.ID,
			Label: byRef[clusterRef(d.ID, c.ID)], Chart: chart, Thumbs: thumbs[c.ID]})
	}
	return v
}

// countHistory returns each cluster's count in the device's most recent
// stored summaries, oldest first.
func (h *Hub) countHistory(d Device) map[int][]uint64 {
	from := uint64(1)
	if d.Summaries.Max > chartSummaries {
		from = d.Summaries.Max - chartSummaries + 1
	}
	raw, err := h.store.history(d.ID, wire.KindSummary, from, chartSummaries)
	if err != nil {
		h.log.Warn("summary history not read", "device", d.ID, "err", err)
		return nil
	}
	out := map[int][]uint64{}
	for _, payload := range raw {
		var s struct {
			Clusters []struct {
				ID    int    `json:"id"`
				Count uint64 `json:"count"`
			} `json:"clusters"`
		}
		if json.Unmarshal(payload, &s) != nil {
			continue
		}
		for _, c := range s.Clusters {
			out[c.ID] = append(out[c.ID], c.Count)
		}
	}
	return out
}

// serveLabel applies the label form: device, cluster, optional exemplar
// frame, and label.
func (h *Hub) serveLabel(w http.ResponseWriter, r *http.Request) {
	ses, ok := h.writer(w, r)
	if !ok {
		return
	}
	device := r.PostFormValue("device")
	cluster, err := strconv.Atoi(r.PostFormValue("cluster"))
	if err != nil || device == "" {
		http.Error(w, "invalid device or cluster", http.StatusBadRequest)
		return
	}
	name := r.PostFormValue("label")
	if frame := r.PostFormValue("exemplar"); frame != "" {
		err = h.labelExemplar(device, cluster, frame, name, ses.user)
	} else if err = h.checkLabelTarget(device, cluster, nil); err == nil {
		_, err = h.SetClusterLabel(device, cluster, name, ses.user)
	}
	if errors.Is(err, ErrInvalidLabel) {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	anchor := "#" + url.PathEscape(fmt.Sprintf("c-%s-%d", device, cluster))
	http.Redirect(w, r, "/"+anchor, http.StatusSeeOther)
}

// serveFleetLabel applies one label to every cluster of a fleet group. The
// form lists the clusters as "member" values DEVICE/CLUSTER.
func (h *Hub) serveFleetLabel(w http.ResponseWriter, r *http.Request) {
	ses, ok := h.writer(w, r)
	if !ok {
		return
	}
	refs, err := parseMembers(r.PostForm["member"])
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	name := r.PostFormValue("label")
	for _, m := range refs {
		if err := h.checkLabelTarget(m.Device, m.Cluster, nil); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	for _, m := range refs {
		_, err := h.SetClusterLabel(m.Device, m.Cluster, name, ses.user)
		if errors.Is(err, ErrInvalidLabel) {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
	}
	http.Redirect(w, r, "/#fleet", http.StatusSeeOther)
}

// parseMembers reads DEVICE/CLUSTER values.
func parseMembers(values []string) ([]Member, error) {
	if len(values) == 0 {
		return nil, errors.New("invalid fleet label: no member clusters")
	}
	out := make([]Member, 0, len(values))
	for _, v := range values {
		device, id, found := strings.Cut(v, "/")
		cluster, err := strconv.Atoi(id)
		if !found || device == "" || err != nil || cluster < 0 {
			return nil, fmt.Errorf("invalid member %q: use DEVICE/CLUSTER", v)
		}
		out = append(out, Member{Device: device, Cluster: cluster})
	}
	return out, nil
}

func (h *Hub) labelExemplar(device string, cluster int, frame, name, user string) error {
	n, err := strconv.ParseUint(frame, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: exemplar %q is not a frame number", ErrInvalidLabel, frame)
	}
	if err := h.checkLabelTarget(device, cluster, &n); err != nil {
		return err
	}
	_, err = h.SetExemplarLabel(device, cluster, n, name, user)
	return err
}

func (h *Hub) serveLoginPage(w http.ResponseWriter, _ *http.Request) {
	h.renderLogin(w, "")
}

func (h *Hub) renderLogin(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	data := struct {
		Error    string
		CanLogin bool
	}{msg, h.opts.PasswordHash != ""}
	if err := loginTemplate.Execute(w, data); err != nil {
		h.log.Warn("login page render failed", "err", err)
	}
}

func (h *Hub) serveLabels(w http.ResponseWriter, r *http.Request) {
	out, err := h.store.labels(r.URL.Query().Get("device"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, out)
}

var pageFuncs = template.FuncMap{
	"score": func(p *float64) string {
		if p == nil {
			return "–"
		}
		return formatScore(*p)
	},
	"ago":   func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"color": deviceColor,
	"pct":   func(v float64) string { return strconv.FormatFloat(100*v, 'f', 0, 64) + " %" },
	"kl":    func(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) },
}
