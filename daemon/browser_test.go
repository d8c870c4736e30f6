package daemon

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/edgecluster/edgecluster/internal/mqtttest"
	"github.com/edgecluster/edgecluster/internal/webdriver"
	"github.com/edgecluster/edgecluster/sync/hub"
)

// artifactDir is where screenshots are copied, relative to this package,
// so they outlive the test's temporary directory.
const artifactDir = "../.artifacts/browser"

// browserHub starts a hub with a login whose password is "secret".
func browserHub(t *testing.T, brokerURL string) (*hub.Hub, string) {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte("secret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	h, err := hub.New(hub.Options{Broker: brokerURL, PasswordHash: string(hash),
		StatePath: filepath.Join(t.TempDir(), "hub.db")})
	if err != nil {
		t.Fatal(err)
	}
	h.Start()
	if !h.WaitConnected(5 * time.Second) {
		t.Fatal("hub did not connect")
	}
	srv := httptest.NewServer(h.Handler())
	t.Cleanup(func() {
		srv.Close()
		h.Close()
	})
	return h, srv.URL
}

// startBrowser opens headless Chromium, or skips when it is not installed
// and the test does not run in CI.
func startBrowser(t *testing.T) *webdriver.Browser {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	b, err := webdriver.Start(ctx, webdriver.Options{ProfileDir: t.TempDir()})
	if err != nil {
		if os.Getenv("CI") == "" && strings.Contains(err.Error(), "not installed") {
			t.Skipf("%v: install chromium and chromium-driver", err)
		}
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// screenshot saves the page under the test's temporary directory and
// copies it to artifactDir.
func screenshot(t *testing.T, b *webdriver.Browser, name string) {
	t.Helper()
	png, err := b.Screenshot(context.Background())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	for _, dir := range []string{t.TempDir(), artifactDir} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// find returns the first element matching css, inside parent when it is
// not nil.
func find(t *testing.T, ctx context.Context, b *webdriver.Browser, parent *webdriver.Element,
	css string) webdriver.Element {
	t.Helper()
	var e webdriver.Element
	var err error
	if parent != nil {
		e, err = parent.Find(ctx, css)
	} else {
		e, err = b.Find(ctx, css)
	}
	if err != nil {
		t.Fatalf("find %s: %v", css, err)
	}
	return e
}

// login fills in the login form and submits it.
func login(t *testing.T, ctx context.Context, b *webdriver.Browser, base string) {
	t.Helper()
	check(t, b.Navigate(ctx, base+"/login"))
	check(t, find(t, ctx, b, nil, `input[name=user]`).Type(ctx, "admin"))
	check(t, find(t, ctx, b, nil, `input[name=password]`).Type(ctx, "secret"))
	check(t, find(t, ctx, b, nil, `form button`).Click(ctx))
	if user := pageText(t, ctx, b, "#user"); user != "logged in as admin" {
		t.Fatalf("after login the page shows %q, want logged in as admin", user)
	}
}

// labelFirstCard types name into the first cluster card's form, submits
// it and returns the card's element id.
func labelFirstCard(t *testing.T, ctx context.Context, b *webdriver.Browser, name string) string {
	t.Helper()
	card := find(t, ctx, b, nil, ".card")
	id, err := card.Attribute(ctx, "id")
	check(t, err)
	input := find(t, ctx, b, &card, `input[name=label]`)
	check(t, input.Clear(ctx))
	check(t, input.Type(ctx, name))
	check(t, find(t, ctx, b, &card, "form button").Click(ctx))
	return id
}

func cardText(t *testing.T, ctx context.Context, b *webdriver.Browser, id string) string {
	t.Helper()
	return pageText(t, ctx, b, "#"+id)
}

// pageText returns the text of the element that css selects.
func pageText(t *testing.T, ctx context.Context, b *webdriver.Browser, css string) string {
	t.Helper()

	// A form submit reloads the page, so an element found while the new page
	// loads can go stale before its text is read: look it up again then.
	var err error
	for try := 0; try < 50; try++ {
		var card webdriver.Element
		if card, err = b.Find(ctx, css); err == nil {
			var s string
			if s, err = card.Text(ctx); err == nil {
				return s
			}
		}
		if !strings.Contains(err.Error(), "stale element") &&
			!strings.Contains(err.Error(), "no such element") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("read %s: %v", css, err)
	return ""
}

// TestBrowserLabelReachesDevice logs in with headless Chromium, labels a
// cluster of a device that is offline, and checks that the label reaches
// the device through mosquitto when it runs again and comes back in its
// summaries.
func TestBrowserLabelReachesDevice(t *testing.T) {
	broker := mqtttest.Start(t)
	h, base := browserHub(t, broker.URL)
	clip := writeClip(t, clipFrames(t, 0, 30))
	cfg := testConfig(t, clip, filepath.Join(t.TempDir(), "s.db"))
	cfg.MQTT.Broker = broker.URL
	res, err := Run(context.Background(), cfg, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	waitForSummary(t, &hub.Client{BaseURL: base}, uint64(res.Summaries))

	b := startBrowser(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	login(t, ctx, b, base)
	card := labelFirstCard(t, ctx, b, "front door")
	if text := cardText(t, ctx, b, card); !strings.Contains(text, "front door pending") {
		t.Errorf("card after labelling reads %q, want the label and pending", text)
	}
	screenshot(t, b, "labelled-pending")

	runUntilConfirmed(t, h, cfg)
	check(t, b.Navigate(ctx, base+"/"))
	if text := cardText(t, ctx, b, card); !strings.Contains(text, "front door confirmed") {
		t.Errorf("card after the device replied reads %q, want the label and confirmed", text)
	}
	screenshot(t, b, "labelled-confirmed")
	checkSummaryLabel(t, base, cfg.DeviceID, "front door")

	check(t, b.Navigate(ctx, base+"/#"+card))
	frame := checkThumbnailLoaded(t, ctx, b, card)
	labelExemplar(t, ctx, b, card, frame, "parcel")
	caption := fmt.Sprintf("#x-%s-%s .exlabel", cfg.DeviceID, frame)
	if text := waitText(ctx, b, caption, "parcel"); text != "parcel" {
		t.Errorf("exemplar %s caption reads %q, want parcel", frame, text)
	}
	screenshot(t, b, "exemplar-labelled")
	checkExemplarLabel(t, h, cfg.DeviceID, frame, "parcel")
}

// checkThumbnailLoaded checks that the card's first exemplar image loaded
// and returns its frame number.
func checkThumbnailLoaded(t *testing.T, ctx context.Context, b *webdriver.Browser,
	card string) string {
	t.Helper()
	img := find(t, ctx, b, nil, "#"+card+" .thumbs img")
	var width string
	for try := 0; try < 50; try++ {
		complete, err := img.Property(ctx, "complete")
		check(t, err)
		width, err = img.Property(ctx, "naturalWidth")
		check(t, err)
		if complete == "true" {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if width == "0" || width == "" {
		t.Fatalf("thumbnail has naturalWidth %q, want it loaded", width)
	}
	alt, err := img.Attribute(ctx, "alt")
	check(t, err)
	frame, ok := strings.CutPrefix(alt, "frame ")
	if !ok {
		t.Fatalf("thumbnail alt %q, want \"frame N\"", alt)
	}
	return frame
}

// labelExemplar picks one exemplar in the card's form and saves a label.
func labelExemplar(t *testing.T, ctx context.Context, b *webdriver.Browser, card, frame,
	name string) {
	t.Helper()
	c := find(t, ctx, b, nil, "#"+card)
	check(t, find(t, ctx, b, &c, `select[name=exemplar] option[value="`+frame+`"]`).Click(ctx))
	input := find(t, ctx, b, &c, `input[name=label]`)
	check(t, input.Clear(ctx))
	check(t, input.Type(ctx, name))
	check(t, find(t, ctx, b, &c, "form button").Click(ctx))
}

// checkExemplarLabel checks the hub's record of an exemplar label: its
// name, author and a time.
func checkExemplarLabel(t *testing.T, h *hub.Hub, device, frame, want string) {
	t.Helper()
	labels, err := h.Labels(device)
	check(t, err)
	for _, l := range labels {
		if l.Exemplar != nil && fmt.Sprint(*l.Exemplar) == frame {
			if l.Name != want || l.Author != "admin" || l.Time.IsZero() {
				t.Errorf("exemplar label = %+v, want %q by admin with a time", l, want)
			}
			return
		}
	}
	t.Errorf("hub has no label for exemplar %s", frame)
}

// runUntilConfirmed runs the daemon again, so it comes online and the hub
// sends the pending label, and stops it once the hub has the reply.
func runUntilConfirmed(t *testing.T, h *hub.Hub, cfg Config) {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	opts := testOptions()
	opts.Once = false
	done := make(chan error, 1)
	go func() {
		_, err := Run(ctx, cfg, opts)
		done <- err
	}()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && !labelConfirmed(t, h, cfg.DeviceID) {
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !labelConfirmed(t, h, cfg.DeviceID) {
		t.Fatal("the device never confirmed the label")
	}
}

func labelConfirmed(t *testing.T, h *hub.Hub, device string) bool {
	labels, err := h.Labels(device)
	check(t, err)
	return len(labels) == 1 && labels[0].State == hub.LabelConfirmed
}

// checkSummaryLabel waits for a summary from the device whose clusters
// include one labelled want.
func checkSummaryLabel(t *testing.T, base, device, want string) {
	t.Helper()
	client := &hub.Client{BaseURL: base}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		clusters, err := client.Clusters(context.Background(), device)
		check(t, err)
		for _, c := range clusters {
			if c.Label == want {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Errorf("no cluster of %s carries label %q in its summaries", device, want)
}

// waitText reads the text of the element that css selects until it is
// want or 10 s pass, retrying every error, since a form submit reloads the
// page under the reads. It returns the last text read, or the last error.
func waitText(ctx context.Context, b *webdriver.Browser, css, want string) string {
	var got string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		e, err := b.Find(ctx, css)
		if err == nil {
			got, err = e.Text(ctx)
		}
		if err != nil {
			got = err.Error()
		}
		if got == want {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	return got
}
