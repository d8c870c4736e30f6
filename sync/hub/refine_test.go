package hub

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/sync/wire"
)

const refineSHA = "8f1c0e1d2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5"

// refineSummary returns a summary of device "cam" with clusters 0 to
// clusters-1 of 2-d centroids in space "s-2-k4".
func refineSummary(clusters int) wire.Summary {
	s := wire.Summary{V: wire.Version, Device: "cam", Epoch: "e1", Seq: 4, Space: "s-2-k4",
		Model: wire.Model{Name: "m", SHA256: refineSHA, Dims: 2}}
	s.Frames.Seen, s.Frames.Embedded = 100, 100
	for i := range clusters {
		s.Clusters = append(s.Clusters, wire.Cluster{ID: i, Count: 10,
			Centroid: wire.Vector{float32(i), 0}})
	}
	return s
}

// storeRefineInput ingests s and n exemplars per cluster of s.
func storeRefineInput(t *testing.T, h *Hub, s wire.Summary, n int) {
	t.Helper()
	data, err := wire.Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.ingestSummary(s, data); err != nil {
		t.Fatal(err)
	}
	m := wire.Exemplars{V: wire.Version, Device: "cam", Epoch: s.Epoch, Seq: 1, Model: s.Model}
	frame := uint64(0)
	for _, c := range s.Clusters {
		for i := range n {
			frame++
			m.Items = append(m.Items, wire.Exemplar{Cluster: c.ID, Frame: frame,
				JPEG: testJPEG(t), Vector: wire.Vector{c.Centroid[0] + 0.1*float32(i), 0.2}})
		}
	}
	if err := h.ingestExemplars(m); err != nil {
		t.Fatal(err)
	}
}

func TestRefineCentroidsRejectsInput(t *testing.T) {
	reduced := refineSummary(3)
	reduced.Reduction = &wire.Reduction{Method: "ccipca", Dims: 1, Basis: refineSHA}
	noSpace := refineSummary(3)
	noSpace.Space = ""
	tests := []struct {
		name      string
		summary   *wire.Summary
		exemplars int
		want      error
		wantText  string
	}{
		{"unknown device", nil, 0, ErrNotFound, "cam"},
		{"no space", &noSpace, 4, ErrRefineInput, "no cluster space"},
		{"reduced", &reduced, 4, ErrRefineInput, "cluster.pca_dims = 0"},
		{"one cluster", ptr(refineSummary(1)), 4, ErrRefineInput, "1 clusters"},
		{"too few exemplars", ptr(refineSummary(3)), 1, ErrRefineInput, "at least 6"},
		{"offline", ptr(refineSummary(3)), 4, ErrRefineInput, "is offline"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _ := uiHub(t, Options{StatePath: filepath.Join(t.TempDir(), "hub.db")})
			if tt.summary != nil {
				storeRefineInput(t, h, *tt.summary, tt.exemplars)
			}
			if tt.name == "offline" {
				err := h.ingestStatus(wire.Status{V: wire.Version, Device: "cam",
					State: wire.StateOffline})
				if err != nil {
					t.Fatal(err)
				}
			}
			_, err := h.RefineCentroids(context.Background(), "cam", RefineOptions{})
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("err = %q, want it to name %q", err, tt.wantText)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestRefineInputMatchesSummary(t *testing.T) {
	h, _ := uiHub(t, Options{StatePath: filepath.Join(t.TempDir(), "hub.db")})
	s := refineSummary(3)
	storeRefineInput(t, h, s, 4)
	other := wire.Exemplars{V: wire.Version, Device: "cam", Epoch: "e1", Seq: 2,
		Model: wire.Model{Name: "m2", SHA256: "abc", Dims: 2},
		Items: []wire.Exemplar{{Cluster: 0, Frame: 99, JPEG: testJPEG(t),
			Vector: wire.Vector{5, 5}}}}
	if err := h.ingestExemplars(other); err != nil {
		t.Fatal(err)
	}
	d, err := h.store.device("cam")
	if err != nil {
		t.Fatal(err)
	}
	in, err := h.refineInput(d)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(in.samples), 12; got != want {
		t.Errorf("%d samples, want %d: the other model's exemplar must be left out", got, want)
	}
	if got := len(in.ids); got != 3 {
		t.Errorf("%d cluster ids, want 3", got)
	}
	res, err := runRefine(context.Background(), in, RefineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Centroids) != 3 || res.Steps == 0 {
		t.Errorf("refinement gave %d centroids in %d steps, want 3 in some", len(res.Centroids),
			res.Steps)
	}
}

func TestRefineFormNeedsSession(t *testing.T) {
	h, srv := uiHub(t, Options{StatePath: filepath.Join(t.TempDir(), "hub.db")})
	storeRefineInput(t, h, refineSummary(1), 4)
	c := browser(t)
	form := url.Values{"device": {"cam"}}
	code, body := postForm(t, c, srv.URL+"/refine", form)
	if code != http.StatusUnauthorized {
		t.Errorf("refine without login: status %d, want 401", code)
	}
	if !strings.Contains(body, "refine centroids") {
		t.Errorf("refine without login: body %q, want it to name refining", body)
	}
	var none Refinement
	if code := getJSON(t, srv.URL+"/api/v1/devices/cam/refinement", &none); code != http.StatusOK ||
		none.State != RefineNone || none.Device != "cam" {
		t.Errorf("refinement of cam before any: status %d, record %+v; want 200 in state %q",
			code, none, RefineNone)
	}

	postForm(t, c, srv.URL+"/login", url.Values{"user": {"admin"}, "password": {"secret"}})
	form.Set("csrf", csrfToken(t, c, srv.URL))
	h.mu.Lock()
	h.refinements["cam"] = Refinement{ID: "hub-refine-7", Device: "cam", Summary: 4,
		State: RefineRejected, Error: "refinement is stale", KLStart: 0.25, KLEnd: 0.125}
	h.mu.Unlock()

	page, err := c.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	html, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if !strings.Contains(string(html), `action="/refine"`) {
		t.Error("page for a logged-in user has no refine form")
	}
	for _, want := range []string{"refinement hub-refine-7 from summary #4: rejected",
		"KL 0.25 → 0.125", "refinement is stale"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("page does not show %q", want)
		}
	}

	code, body = postForm(t, c, srv.URL+"/refine", form)
	if code != http.StatusBadRequest || !strings.Contains(body, "1 clusters") {
		t.Errorf("refine of one cluster: status %d, body %q; want 400 naming the count",
			code, body)
	}

	var rec Refinement
	if code := getJSON(t, srv.URL+"/api/v1/devices/cam/refinement", &rec); code != http.StatusOK ||
		rec.ID != "hub-refine-7" {
		t.Errorf("refinement of cam: status %d, id %q; want 200 and hub-refine-7", code, rec.ID)
	}
	resp, err := http.Get(srv.URL + "/api/v1/devices/other/refinement")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("refinement of an unknown device: status %d, want 404", resp.StatusCode)
	}
}

// pageOf returns the hub page as the client c sees it.
func pageOf(t *testing.T, c *http.Client, base string) string {
	t.Helper()
	resp, err := c.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	html, _ := io.ReadAll(resp.Body)
	return string(html)
}

func TestRefineFormHiddenWhenOffline(t *testing.T) {
	h, srv := uiHub(t, Options{StatePath: filepath.Join(t.TempDir(), "hub.db")})
	storeRefineInput(t, h, refineSummary(3), 4)
	c := browser(t)
	postForm(t, c, srv.URL+"/login", url.Values{"user": {"admin"}, "password": {"secret"}})
	if html := pageOf(t, c, srv.URL); !strings.Contains(html, `action="/refine"`) {
		t.Fatal("page for a device of unknown state has no refine form")
	}

	err := h.ingestStatus(wire.Status{V: wire.Version, Device: "cam", State: wire.StateOffline})
	if err != nil {
		t.Fatal(err)
	}
	html := pageOf(t, c, srv.URL)
	if strings.Contains(html, `action="/refine"`) {
		t.Error("page offers refinement for an offline device")
	}
	if !strings.Contains(html, "the device is offline") {
		t.Error("page does not say why an offline device cannot be refined")
	}
}

// TestRefineEventRecordsIdleRefinement ingests a device's refine event of
// an idle refinement and checks that the hub serves it as the latest
// refinement and shows it on the page.
func TestRefineEventRecordsIdleRefinement(t *testing.T) {
	h, srv := uiHub(t, Options{StatePath: filepath.Join(t.TempDir(), "hub.db")})
	storeRefineInput(t, h, refineSummary(3), 4)
	e := wire.Event{V: wire.Version, Device: "cam", Epoch: "e1", Seq: 1, Type: wire.EventRefine,
		Time:       time.Date(2026, 12, 4, 22, 0, 0, 0, time.UTC),
		Refinement: "idle-1700000000000", Source: wire.RefineSourceIdle, Moved: []int{0, 2},
		MaxShift: 0.125}
	data, err := wire.Encode(e)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.ingestEvent(e, data); err != nil {
		t.Fatal(err)
	}

	var rec Refinement
	if code := getJSON(t, srv.URL+"/api/v1/devices/cam/refinement", &rec); code != http.StatusOK {
		t.Fatalf("refinement of cam: status %d, want 200", code)
	}
	want := Refinement{ID: e.Refinement, Source: wire.RefineSourceIdle,
		State: RefineApplied, Moved: 2, MaxShift: 0.125}
	if rec.ID != want.ID || rec.Source != want.Source || rec.State != want.State ||
		rec.Moved != want.Moved || rec.MaxShift != want.MaxShift {
		t.Errorf("refinement of cam = %+v, want %+v", rec, want)
	}
	if len(rec.MovedClusters) != 2 || rec.MovedClusters[1] != 2 {
		t.Errorf("moved clusters %v, want [0 2]", rec.MovedClusters)
	}
	c := browser(t)
	if html := pageOf(t, c, srv.URL); !strings.Contains(html,
		"idle refinement idle-1700000000000 on the device") {
		t.Error("page does not show the idle refinement")
	}

	older := e
	older.Seq, older.Refinement = 2, "idle-1600000000000"
	older.Time = e.Time.Add(-time.Hour)
	if data, err = wire.Encode(older); err != nil {
		t.Fatal(err)
	}
	if err := h.ingestEvent(older, data); err != nil {
		t.Fatal(err)
	}
	if got := h.Refinements()["cam"].ID; got != e.Refinement {
		t.Errorf("after an older event the latest refinement is %s, want %s", got,
			e.Refinement)
	}
}

func TestRefinePageReducedDevice(t *testing.T) {
	h, srv := uiHub(t, Options{StatePath: filepath.Join(t.TempDir(), "hub.db")})
	s := refineSummary(3)
	s.Reduction = &wire.Reduction{Method: "ccipca", Dims: 1, Basis: refineSHA}
	for i := range s.Clusters {
		s.Clusters[i].Centroid = wire.Vector{float32(i)}
	}
	storeRefineInput(t, h, s, 0)
	c := browser(t)
	postForm(t, c, srv.URL+"/login", url.Values{"user": {"admin"}, "password": {"secret"}})

	resp, err := c.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	html, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(html), `action="/refine"`) {
		t.Error("page offers the hub refinement for PCA-reduced centroids")
	}
	if !strings.Contains(string(html), "only the device can refine them") {
		t.Error("page does not say why the hub cannot refine")
	}
}
