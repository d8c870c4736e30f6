package hub

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/edgecluster/edgecluster/internal/mqtttest"
	"github.com/edgecluster/edgecluster/sync/wire"
)

// uiHub returns a hub on the store and clock of base that is not
// connected to a broker, with the password "secret", and its HTTP server.
func uiHub(t *testing.T, base Options) (*Hub, *httptest.Server) {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte("secret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	base.Broker, base.PasswordHash = "tcp://127.0.0.1:1", string(hash)
	h, err := New(base)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h.Handler())
	t.Cleanup(func() {
		srv.Close()
		h.store.close()
	})
	return h, srv
}

// browser returns an HTTP client with a cookie jar that does not follow
// redirects.
func browser(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

func postForm(t *testing.T, c *http.Client, u string, form url.Values) (int, string) {
	t.Helper()
	resp, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrfToken reads the CSRF token from the page.
func csrfToken(t *testing.T, c *http.Client, base string) string {
	t.Helper()
	resp, err := c.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	m := csrfField.FindSubmatch(body)
	if m == nil {
		t.Fatalf("page has no CSRF token:\n%s", body)
	}
	return string(m[1])
}

func TestLoginRejectsWrongPassword(t *testing.T) {
	_, srv := uiHub(t, boltState(t))
	tests := []struct {
		user, password string
		want           int
	}{
		{"admin", "secret", http.StatusSeeOther},
		{"admin", "wrong", http.StatusUnauthorized},
		{"root", "secret", http.StatusUnauthorized},
		{"", "", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		code, _ := postForm(t, browser(t), srv.URL+"/login",
			url.Values{"user": {tt.user}, "password": {tt.password}})
		if code != tt.want {
			t.Errorf("login %q/%q: status %d, want %d", tt.user, tt.password, code, tt.want)
		}
	}
}

func TestLabelFormNeedsSessionAndCSRF(t *testing.T) {
	forEachStore(t, func(t *testing.T, state Options) {
		h, srv := uiHub(t, state)
		seedDevice(t, h, "cam-1", 3)
		c := browser(t)
		form := url.Values{"device": {"cam-1"}, "cluster": {"2"}, "label": {"door"}}

		if code, _ := postForm(t, c, srv.URL+"/labels", form); code != http.StatusUnauthorized {
			t.Errorf("label without login: status %d, want 401", code)
		}
		postForm(t, c, srv.URL+"/login", url.Values{"user": {"admin"}, "password": {"secret"}})
		form.Set("csrf", "forged")
		if code, _ := postForm(t, c, srv.URL+"/labels", form); code != http.StatusForbidden {
			t.Errorf("label with a wrong CSRF token: status %d, want 403", code)
		}
		form.Set("csrf", csrfToken(t, c, srv.URL))
		if code, body := postForm(t, c, srv.URL+"/labels", form); code != http.StatusSeeOther {
			t.Fatalf("label with login and token: status %d, want 303: %s", code, body)
		}

		labels, err := h.Labels("cam-1")
		if err != nil {
			t.Fatal(err)
		}
		if len(labels) != 1 || labels[0].Name != "door" || labels[0].Author != "admin" {
			t.Errorf("stored labels %+v, want door by admin on cluster 2", labels)
		}
	})
}

func TestLabelFormExemplar(t *testing.T) {
	h, srv := uiHub(t, boltState(t))
	seedDevice(t, h, "cam-1", 3)
	m := exemplarsMessage(t, [2]int{2, 417})
	m.Device = "cam-1"
	if err := h.ingestExemplars(m); err != nil {
		t.Fatal(err)
	}
	c := browser(t)
	postForm(t, c, srv.URL+"/login", url.Values{"user": {"admin"}, "password": {"secret"}})
	form := url.Values{"device": {"cam-1"}, "cluster": {"2"}, "label": {"cat"},
		"exemplar": {"417"}, "csrf": {csrfToken(t, c, srv.URL)}}
	if code, body := postForm(t, c, srv.URL+"/labels", form); code != http.StatusSeeOther {
		t.Fatalf("status %d, want 303: %s", code, body)
	}
	labels, _ := h.Labels("cam-1")
	if len(labels) != 1 || labels[0].Exemplar == nil || *labels[0].Exemplar != 417 {
		t.Fatalf("stored labels %+v, want one on frame 417", labels)
	}
	if labels[0].State != LabelHubOnly {
		t.Errorf("exemplar label state %q, want %q", labels[0].State, LabelHubOnly)
	}
}

func TestLogoutEndsSession(t *testing.T) {
	forEachStore(t, func(t *testing.T, state Options) {
		_, srv := uiHub(t, state)
		c := browser(t)
		postForm(t, c, srv.URL+"/login", url.Values{"user": {"admin"}, "password": {"secret"}})
		token := csrfToken(t, c, srv.URL)
		if code, _ := postForm(t, c, srv.URL+"/logout", url.Values{"csrf": {token}}); code != 303 {
			t.Fatalf("logout status %d, want 303", code)
		}
		form := url.Values{"device": {"cam-1"}, "cluster": {"1"}, "label": {"x"}, "csrf": {token}}
		if code, _ := postForm(t, c, srv.URL+"/labels", form); code != http.StatusUnauthorized {
			t.Errorf("label after logout: status %d, want 401", code)
		}
	})
}

func TestLoginOffWithoutHash(t *testing.T) {
	h, err := New(Options{Broker: "tcp://127.0.0.1:1",
		StatePath: filepath.Join(t.TempDir(), "hub.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer h.store.close()
	if h.checkPassword("admin", "") {
		t.Error("empty password accepted without a configured hash")
	}
}

func TestFleetGroups(t *testing.T) {
	m := func(dev string, id int, v ...float32) Member {
		return Member{Device: dev, Cluster: id, Centroid: v}
	}
	byModel := map[string][]Member{"m": {
		m("a", 1, 1, 0), m("b", 7, 0.99, 0.05), m("a", 2, 0, 1), m("b", 8, -1, 0),
	}}
	groups := fleetGroups(byModel, 0.01)
	if len(groups) != 1 {
		t.Fatalf("groups %+v, want one", groups)
	}
	got := groups[0].Members
	if len(got) != 2 || got[0].Cluster+got[1].Cluster != 8 {
		t.Errorf("group %+v, want a/1 with b/7", got)
	}
}

func TestFleetGroupsSameDeviceOnly(t *testing.T) {
	byModel := map[string][]Member{"m": {
		{Device: "a", Cluster: 1, Centroid: wire.Vector{1, 0}},
		{Device: "a", Cluster: 2, Centroid: wire.Vector{1, 0}},
	}}
	if groups := fleetGroups(byModel, 0.1); len(groups) != 0 {
		t.Errorf("groups %+v, want none from one device", groups)
	}
}

func TestCountChart(t *testing.T) {
	tests := []struct {
		counts []uint64
		unit   string
		want   string
	}{
		{nil, "summaries", ""},
		{[]uint64{5}, "hours", ""},
		{[]uint64{0, 10}, "summaries", `points="0.0,34.0 160.0,2.0"`},
		{[]uint64{0, 10, 4}, "summaries", `>cluster size in the last 3 summaries</small>`},
		{[]uint64{0, 10, 4}, "hours", `>frames per hour, last 3 hours</small>`},
		{[]uint64{0, 10}, "hours", `aria-label="frames per hour, last 2 hours"`},
	}
	for _, tt := range tests {
		got := string(countChart(tt.counts, tt.unit))
		if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
			t.Errorf("countChart(%v) = %q, want %q in it", tt.counts, got, tt.want)
		}
	}
}

func TestFleetLabelAppliesToAll(t *testing.T) {
	h, srv := uiHub(t, boltState(t))
	seedDevice(t, h, "cam-1", 3)
	seedDevice(t, h, "cam-2", 6)
	c := browser(t)
	postForm(t, c, srv.URL+"/login", url.Values{"user": {"admin"}, "password": {"secret"}})
	form := url.Values{"member": {"cam-1/2", "cam-2/5"}, "label": {"gate"},
		"csrf": {csrfToken(t, c, srv.URL)}}
	if code, body := postForm(t, c, srv.URL+"/labels/fleet", form); code != http.StatusSeeOther {
		t.Fatalf("status %d, want 303: %s", code, body)
	}
	labels, _ := h.Labels("")
	if len(labels) != 2 {
		t.Fatalf("stored %d labels, want 2: %+v", len(labels), labels)
	}
	for _, l := range labels {
		if l.Name != "gate" {
			t.Errorf("%s cluster %d labelled %q, want gate", l.Device, l.Cluster, l.Name)
		}
	}
}

func TestFleetLabelInvalidMember(t *testing.T) {
	_, srv := uiHub(t, boltState(t))
	c := browser(t)
	postForm(t, c, srv.URL+"/login", url.Values{"user": {"admin"}, "password": {"secret"}})
	token := csrfToken(t, c, srv.URL)
	for _, member := range []string{"cam-1", "cam-1/x", "/3", "cam-1/-1"} {
		form := url.Values{"member": {member}, "label": {"gate"}, "csrf": {token}}
		if code, _ := postForm(t, c, srv.URL+"/labels/fleet", form); code != 400 {
			t.Errorf("member %q: status %d, want 400", member, code)
		}
	}
}

func TestPageShowsFleetMapAndQueue(t *testing.T) {
	broker := mqtttest.Start(t)
	h, srv := startHub(t, broker.URL, boltState(t))
	pub := publisher(t, broker.URL)
	for _, dev := range []string{"cam-1", "cam-2"} {
		s := wire.Summary{V: wire.Version, Device: dev, Seq: 1,
			Model: wire.Model{Name: "m", SHA256: "abc", Dims: 2}}
		for i, v := range []wire.Vector{{1, 0}, {0, 1}, {-1, 0.2}} {
			s.Clusters = append(s.Clusters, wire.Cluster{ID: i, Count: 5, Centroid: v})
		}
		data, _ := wire.Encode(s)
		publish(t, pub, wire.Topic(wire.DefaultPrefix, dev, wire.KindSummary), data)
	}
	h.SetClusterLabel("cam-1", 0, "door", "alice")
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if devs, _ := h.Devices(); len(devs) == 2 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}

	body := getPage(t, srv.URL+"/")
	for _, want := range []string{`<h2 id="fleet">`, `<svg class="map"`,
		`<ol id="queue">`, `<table id="suggested">`, `href="#c-cam-2-0">cam-2 cluster 0</a>`,
		`PCA of centroids`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	tsne := getPage(t, srv.URL+"/?map=tsne")
	for _, want := range []string{`t-SNE of centroids`, `href="?map=tsne" aria-current="page"`,
		`<circle`} {
		if !strings.Contains(tsne, want) {
			t.Errorf("t-SNE page lacks %q", want)
		}
	}
}

func getPage(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return string(body)
}
