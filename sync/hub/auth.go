package hub

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Session settings.
const (
	sessionCookie = "edgecluster_session"
	sessionTTL    = 12 * time.Hour
	maxSessions   = 1024
)

// session is one logged-in browser.
type session struct {
	user    string
	csrf    string
	expires time.Time
}

// sessions keeps the logged-in browsers in memory, so a hub restart logs
// everyone out.
type sessions struct {
	mu   sync.Mutex
	byID map[string]session
}

func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// create starts a session for user and returns its id.
func (s *sessions) create(user string, now time.Time) (string, session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byID == nil {
		s.byID = map[string]session{}
	}
	for id, old := range s.byID {
		if now.After(old.expires) || len(s.byID) >= maxSessions {
			delete(s.byID, id)
		}
	}
	id := newToken()
	ses := session{user: user, csrf: newToken(), expires: now.Add(sessionTTL)}
	s.byID[id] = ses
	return id, ses
}

func (s *sessions) get(id string, now time.Time) (session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ses, ok := s.byID[id]
	if !ok || now.After(ses.expires) {
		return session{}, false
	}
	return ses, true
}

func (s *sessions) end(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.byID, id)
}

// session returns the request's session, if it has a valid one.
func (h *Hub) session(r *http.Request) (session, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return session{}, false
	}
	return h.sessions.get(c.Value, h.now())
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
		http.Error(w, "log in to change labels", http.StatusUnauthorized)
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
	id, _ := h.sessions.create(user, h.now())
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil, MaxAge: int(sessionTTL.Seconds())})
	h.log.Info("login", "user", user, "remote", r.RemoteAddr)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (h *Hub) serveLogout(w http.ResponseWriter, r *http.Request) {
	if _, ok := h.writer(w, r); !ok {
		return
	}
	c, _ := r.Cookie(sessionCookie)
	h.sessions.end(c.Value)
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/", MaxAge: -1})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
