package hub

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/edgecluster/edgecluster/sync/wire"
)

// seedDevice stores a summary of device with clusters 0 .. clusters-1, as
// if the device had published it.
func seedDevice(t *testing.T, h *Hub, device string, clusters int) {
	t.Helper()
	s := wire.Summary{V: wire.Version, Device: device, Seq: 1,
		Model: wire.Model{Name: "m", SHA256: "abc", Dims: 2}}
	for i := range clusters {
		s.Clusters = append(s.Clusters, wire.Cluster{ID: i, Count: 5, Centroid: wire.Vector{1, 0}})
	}
	data, err := wire.Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.ingest(wire.Topic(wire.DefaultPrefix, device, wire.KindSummary), data); err != nil {
		t.Fatal(err)
	}
}

func TestLabelFormRejectsUnknownTarget(t *testing.T) {
	h, srv := uiHub(t, boltState(t))
	seedDevice(t, h, "cam", 3)
	if err := h.ingestExemplars(exemplarsMessage(t, [2]int{1, 42})); err != nil {
		t.Fatal(err)
	}
	c := browser(t)
	login(t, c, srv.URL)
	token := csrfToken(t, c, srv.URL)
	tests := []struct {
		device, cluster, exemplar string
		wantCode                  int
		wantBody                  string
	}{
		{"cam", "1", "", http.StatusSeeOther, ""},
		{"cam", "1", "42", http.StatusSeeOther, ""},
		{"zzz", "1", "", http.StatusNotFound, "device not found"},
		{"cam", "999", "", http.StatusNotFound, "cluster not found"},
		{"cam", "999", "", http.StatusNotFound, "use an id from the latest summary"},
		{"cam", "1", "999", http.StatusNotFound, "exemplar not found"},
		{"cam", "2", "42", http.StatusNotFound, "exemplar not found"},
		{"zzz", "1", "42", http.StatusNotFound, "device not found"},
	}
	for _, tt := range tests {
		form := url.Values{"device": {tt.device}, "cluster": {tt.cluster},
			"exemplar": {tt.exemplar}, "label": {"door"}, "csrf": {token}}
		code, body := postForm(t, c, srv.URL+"/labels", form)
		if code != tt.wantCode {
			t.Errorf("%s cluster %s exemplar %q: status %d, want %d: %s", tt.device,
				tt.cluster, tt.exemplar, code, tt.wantCode, body)
		}
		if !strings.Contains(body, tt.wantBody) {
			t.Errorf("%s cluster %s exemplar %q: body %q, want %q", tt.device, tt.cluster,
				tt.exemplar, body, tt.wantBody)
		}
	}
	labels, err := h.Labels("")
	if err != nil {
		t.Fatal(err)
	}
	if len(labels) != 2 {
		t.Errorf("stored %d labels, want the 2 on known targets: %+v", len(labels), labels)
	}
}

func TestFleetLabelRejectsUnknownCluster(t *testing.T) {
	h, srv := uiHub(t, boltState(t))
	seedDevice(t, h, "cam", 3)
	c := browser(t)
	login(t, c, srv.URL)
	form := url.Values{"member": {"cam/1", "cam/999"}, "label": {"gate"},
		"csrf": {csrfToken(t, c, srv.URL)}}
	if code, body := postForm(t, c, srv.URL+"/labels/fleet", form); code != http.StatusNotFound {
		t.Errorf("status %d, want 404: %s", code, body)
	}
	if labels, _ := h.Labels(""); len(labels) != 0 {
		t.Errorf("stored labels %+v, want none", labels)
	}
}

// The exemplar drop-down of a card offers the frames whose thumbnails the
// card shows, not the frame numbers the summary lists.
func TestLabelFormOffersShownExemplars(t *testing.T) {
	h, srv := uiHub(t, boltState(t))
	s := wire.Summary{V: wire.Version, Device: "cam", Seq: 1,
		Model: wire.Model{Name: "m", SHA256: "abc", Dims: 2},
		Clusters: []wire.Cluster{{ID: 0, Count: 5, Centroid: wire.Vector{1, 0},
			Exemplars: []uint64{5, 6}}}}
	data, _ := wire.Encode(s)
	if err := h.ingest(wire.Topic(wire.DefaultPrefix, "cam", wire.KindSummary), data); err != nil {
		t.Fatal(err)
	}
	if err := h.ingestExemplars(exemplarsMessage(t, [2]int{0, 87}, [2]int{0, 88},
		[2]int{0, 91})); err != nil {
		t.Fatal(err)
	}
	c := browser(t)
	login(t, c, srv.URL)
	resp, err := c.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)

	shown := regexp.MustCompile(`<img src="[^"]*" alt="frame (\d+)"`).FindAllStringSubmatch(
		string(body), -1)
	offered := regexp.MustCompile(`<option value="(\d+)">`).FindAllStringSubmatch(
		string(body), -1)
	var gotShown, gotOffered []string
	for _, m := range shown {
		gotShown = append(gotShown, m[1])
	}
	for _, m := range offered {
		gotOffered = append(gotOffered, m[1])
	}
	want := []string{"91", "88", "87"}
	if !slices.Equal(gotShown, want) {
		t.Errorf("card shows frames %v, want %v", gotShown, want)
	}
	if !slices.Equal(gotOffered, want) {
		t.Errorf("label form offers frames %v, want the shown %v", gotOffered, want)
	}
}

func TestMissingExemplarMessage(t *testing.T) {
	h, srv := uiHub(t, boltState(t))
	if err := h.ingestExemplars(exemplarsMessage(t, [2]int{1, 42})); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(srv.URL + "/api/v1/devices/cam/exemplar/999.jpg")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("status %d, want 404", resp.StatusCode)
	}
	want := `hub: exemplar not found: frame 999 of device "cam"`
	if got := strings.TrimSpace(string(body)); got != want {
		t.Errorf("body %q, want %q", got, want)
	}
}
