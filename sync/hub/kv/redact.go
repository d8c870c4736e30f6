package kv

import (
	"net/url"
	"regexp"
	"strings"
)

// hidden replaces a password in what Redact returns.
const hidden = "xxxxx"

var (
	// urlPassword matches the password of user:password@ in a URL that
	// net/url cannot parse.
	urlPassword = regexp.MustCompile(`(://[^:/@]*):[^@]*@`)

	// keyValuePassword matches password=VALUE in libpq key=value settings,
	// with VALUE plain or single-quoted.
	keyValuePassword = regexp.MustCompile(`(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)`)
)

// Redact returns dsn with its password replaced by xxxxx, for logs and
// error messages. It handles postgres:// URLs, key=value settings and
// text that contains either, such as an error message.
func Redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" ||
		u.Scheme == "postgresql") {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), hidden)
		}
		u.RawQuery = keyValueInQuery(u.RawQuery)
		return u.String()
	}
	dsn = urlPassword.ReplaceAllString(dsn, "$1:"+hidden+"@")
	return keyValuePassword.ReplaceAllString(dsn, "${1}"+hidden)
}

// keyValueInQuery replaces password=VALUE in a raw URL query.
func keyValueInQuery(query string) string {
	parts := strings.Split(query, "&")
	for i, p := range parts {
		name, _, found := strings.Cut(p, "=")
		if found && strings.EqualFold(name, "password") {
			parts[i] = name + "=" + hidden
		}
	}
	return strings.Join(parts, "&")
}

// hidePassword replaces every occurrence of password in text.
func hidePassword(text, password string) string {
	if password == "" {
		return text
	}
	return strings.ReplaceAll(text, password, hidden)
}
