package hub

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Session settings.
const (
	sessionCookie = "edgecluster_session"
	sessionTTL    = 12 * time.Hour
	maxSessions   = 1024
)

// session is one logged-in browser. Sessions are kept in the hub store,
// so they survive a restart and every hub instance on one PostgreSQL
// database accepts them.
type session struct {
	user    string
	csrf    string
	expires time.Time
}

func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// session returns the request's session, if it has a valid one.
func (h *Hub) session(r *http.Request) (session, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return session{}, false
	}
	ses, ok, err := h.store.session(c.Value, h.now())
	if err != nil {
		h.log.Error("session not read", "err", err)
	}
	return ses, ok
}

// checkPassword compares user and password with the configured ones in
// constant time for the user name and bcrypt time for the password.
func (h *Hub) checkPassword(user, password string) bool {
	if h.opts.PasswordHash == "" {
		return false
	}
	userOK := subtle.ConstantTimeCompare([]byte(user), []byte(h.opts.user())) == 1
	err := bcrypt.CompareHashAndPassword([]byte(h.opts.PasswordHash), []byte(password))
	return userOK && err == nil
}

// HashPassword returns the bcrypt hash of password for Options.PasswordHash.
func HashPassword(password string) (string, error) {
	b, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	return string(b), err
}

// writer returns the session of a write request whose CSRF token matches,
// or writes the error response and returns false.
func (h *Hub) writer(w http.ResponseWriter, r *http.Request) (session, bool) {
	ses, ok := h.session(r)
	if !ok {
		http.Error(w, "log in to change labels or refine centroids", http.StatusUnauthorized)
		return session{}, false
	}
	token := r.PostFormValue("csrf")
	if subtle.ConstantTimeCompare([]byte(token), []byte(ses.csrf)) != 1 {
		h.log.Warn("write rejected: CSRF token missing or wrong", "path", r.URL.Path,
			"user", ses.user)
		http.Error(w, "invalid CSRF token: reload the page and try again", http.StatusForbidden)
		return session{}, false
	}
	return ses, true
}

func (h *Hub) serveLogin(w http.ResponseWriter, r *http.Request) {
	user, password := r.PostFormValue("user"), r.PostFormValue("password")
	if !h.checkPassword(user, password) {
		h.log.Warn("login failed", "user", user, "remote", r.RemoteAddr)
		w.WriteHeader(http.StatusUnauthorized)
		h.renderLogin(w, "wrong user name or password")
		return
	}
	id, _, err := h.store.createSession(user, h.now())
	if err != nil {
		h.log.Error("login failed: session not stored", "user", user, "err", err)
		http.Error(w, "session not stored, try again", http.StatusInternalServerError)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil, MaxAge: int(sessionTTL.Seconds())})
	h.log.Info("login", "user", user, "remote", r.RemoteAddr)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (h *Hub) serveLogout(w http.ResponseWriter, r *http.Request) {
	ses, ok := h.writer(w, r)
	if !ok {
		return
	}
	c, _ := r.Cookie(sessionCookie)
	if err := h.store.endSession(c.Value); err != nil {
		h.log.Error("logout failed: session not deleted", "user", ses.user, "err", err)
		http.Error(w, "session not deleted, try again", http.StatusInternalServerError)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/", MaxAge: -1})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
