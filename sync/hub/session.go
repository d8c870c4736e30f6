package hub

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/edgecluster/edgecluster/sync/hub/kv"
)

// sessionsBucket maps the SHA-256 hash of a session token to its JSON
// sessionRecord. Only the hash is stored, so a copy of the store does not
// log anyone in.
var sessionsBucket = []byte("sessions")

// sessionRecord is the stored form of a session.
type sessionRecord struct {
	User    string    `json:"user"`
	CSRF    string    `json:"csrf"`
	Expires time.Time `json:"expires"`
}

func sessionKey(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// createSession stores a new session for user and returns its token. It
// removes expired sessions first and, at maxSessions, the ones that
// expire soonest.
func (st *store) createSession(user string, now time.Time) (string, session, error) {
	token := newToken()
	ses := session{user: user, csrf: newToken(), expires: now.Add(sessionTTL)}
	value, err := json.Marshal(sessionRecord{User: ses.user, CSRF: ses.csrf, Expires: ses.expires})
	if err != nil {
		return "", session{}, err
	}
	err = st.db.Update(func(tx kv.Tx) error {
		b := tx.Bucket(sessionsBucket)
		if err := pruneSessions(b, now); err != nil {
			return err
		}
		return b.Put(sessionKey(token), value)
	})
	if err != nil {
		return "", session{}, fmt.Errorf("hub: store session: %w", err)
	}
	return token, ses, nil
}

// pruneSessions deletes the expired sessions in b and then the ones that
// expire soonest until fewer than maxSessions are left.
func pruneSessions(b kv.Bucket, now time.Time) error {
	type entry struct {
		key     []byte
		expires time.Time
	}
	var live []entry
	var expired [][]byte
	err := b.ForEach(func(k, v []byte) error {
		var r sessionRecord
		if json.Unmarshal(v, &r) != nil || now.After(r.Expires) {
			expired = append(expired, append([]byte(nil), k...))
			return nil
		}
		live = append(live, entry{append([]byte(nil), k...), r.Expires})
		return nil
	})
	if err != nil {
		return err
	}
	sort.Slice(live, func(i, j int) bool { return live[i].expires.Before(live[j].expires) })
	for len(live) >= maxSessions {
		expired, live = append(expired, live[0].key), live[1:]
	}
	for _, k := range expired {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// session returns the stored session of token. An expired session is
// deleted and reported as missing.
func (st *store) session(token string, now time.Time) (session, bool, error) {
	var r sessionRecord
	found := false
	err := st.db.View(func(tx kv.Tx) error {
		v := tx.Bucket(sessionsBucket).Get(sessionKey(token))
		if v == nil {
			return nil
		}
		found = true
		return json.Unmarshal(v, &r)
	})
	if err != nil || !found {
		return session{}, false, err
	}
	if now.After(r.Expires) {
		return session{}, false, st.endSession(token)
	}
	return session{user: r.User, csrf: r.CSRF, expires: r.Expires}, true, nil
}

// endSession deletes the session of token.
func (st *store) endSession(token string) error {
	return st.db.Update(func(tx kv.Tx) error {
		return tx.Bucket(sessionsBucket).Delete(sessionKey(token))
	})
}
