package hub

import (
	"bytes"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/internal/clock"
	"github.com/edgecluster/edgecluster/sync/hub/kv"
)

// login logs c in to the hub at base as admin and returns the session
// token from its cookie.
func login(t *testing.T, c *http.Client, base string) string {
	t.Helper()
	resp, err := c.PostForm(base+"/login", url.Values{"user": {"admin"},
		"password": {"secret"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, cookie := range resp.Cookies() {
		if cookie.Name == sessionCookie {
			return cookie.Value
		}
	}
	t.Fatalf("login status %d set no session cookie", resp.StatusCode)
	return ""
}

// labelDoor posts a label with c's session and the CSRF token of the page
// at base and returns the status.
func labelDoor(t *testing.T, c *http.Client, base string) int {
	t.Helper()
	form := url.Values{"device": {"cam-1"}, "cluster": {"2"}, "label": {"door"},
		"csrf": {csrfToken(t, c, base)}}
	code, _ := postForm(t, c, base+"/labels", form)
	return code
}

// storedSessions returns the keys and values of the sessions bucket.
func storedSessions(t *testing.T, h *Hub) [][]byte {
	t.Helper()
	var out [][]byte
	err := h.store.db.View(func(tx kv.Tx) error {
		return tx.Bucket(sessionsBucket).ForEach(func(k, v []byte) error {
			out = append(out, append([]byte(nil), k...), append([]byte(nil), v...))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSessionSurvivesRestart logs in, closes the hub and opens a new one
// on the same store. The cookie jar sends the cookie to the new server
// because cookies are scoped by host, not by port.
func TestSessionSurvivesRestart(t *testing.T) {
	forEachStore(t, func(t *testing.T, state Options) {
		h, srv := uiHub(t, state)
		seedDevice(t, h, "cam-1", 3)
		c := browser(t)
		login(t, c, srv.URL)
		srv.Close()
		h.store.close()

		h, srv = uiHub(t, state)
		if code := labelDoor(t, c, srv.URL); code != http.StatusSeeOther {
			t.Fatalf("label after restart: status %d, want 303", code)
		}
		labels, _ := h.Labels("cam-1")
		if len(labels) != 1 || labels[0].Author != "admin" {
			t.Errorf("labels after restart %+v, want one by admin", labels)
		}
	})
}

func TestSessionSharedBetweenInstances(t *testing.T) {
	state := postgresState(t)
	a, srvA := uiHub(t, state)
	_, srvB := uiHub(t, state)
	seedDevice(t, a, "cam-1", 3)
	c := browser(t)
	login(t, c, srvA.URL)

	if code := labelDoor(t, c, srvB.URL); code != http.StatusSeeOther {
		t.Fatalf("label on the second instance: status %d, want 303", code)
	}
	labels, _ := a.Labels("cam-1")
	if len(labels) != 1 || labels[0].Name != "door" {
		t.Errorf("labels seen by the first instance %+v, want door", labels)
	}
}

func TestSessionStoresTokenHash(t *testing.T) {
	h, srv := uiHub(t, boltState(t))
	token := login(t, browser(t), srv.URL)
	stored := storedSessions(t, h)
	if len(stored) != 2 {
		t.Fatalf("sessions bucket holds %d keys and values, want one session", len(stored))
	}
	for _, b := range stored {
		if bytes.Contains(b, []byte(token)) {
			t.Errorf("sessions bucket holds the token itself: %q", b)
		}
	}
}

func TestExpiredSessionsRemoved(t *testing.T) {
	forEachStore(t, func(t *testing.T, state Options) {
		fake := clock.NewFake(time.Date(2026, 12, 4, 8, 0, 0, 0, time.UTC))
		state.Clock = fake
		h, srv := uiHub(t, state)
		seedDevice(t, h, "cam-1", 3)
		early, late := browser(t), browser(t)
		login(t, early, srv.URL)
		fake.Advance(time.Hour)
		login(t, late, srv.URL)

		fake.Advance(sessionTTL - 30*time.Minute)
		if got := len(storedSessions(t, h)) / 2; got != 2 {
			t.Errorf("%d sessions stored before any expired, want 2", got)
		}
		if code := labelDoor(t, late, srv.URL); code != http.StatusSeeOther {
			t.Errorf("label with the unexpired session: status %d, want 303", code)
		}
		form := url.Values{"device": {"cam-1"}, "cluster": {"1"}, "label": {"x"}, "csrf": {"x"}}
		if code, _ := postForm(t, early, srv.URL+"/labels", form); code != http.StatusUnauthorized {
			t.Errorf("label with the expired session: status %d, want 401", code)
		}
		if got := len(storedSessions(t, h)) / 2; got != 1 {
			t.Errorf("%d sessions stored after the expired one was used, want 1", got)
		}

		fake.Advance(time.Hour)
		login(t, browser(t), srv.URL)
		if got := len(storedSessions(t, h)) / 2; got != 1 {
			t.Errorf("%d sessions stored after a login with one expired, want 1", got)
		}
	})
}
