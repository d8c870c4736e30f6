package daemon

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// maxProblems bounds the problems reported for one file, so that a file in
// another format does not produce thousands of lines.
const maxProblems = 50

// Problem is one mistake in a config file: a syntax error, an unknown key,
// a value of the wrong type or an invalid value.
type Problem struct {
	// Key is the dotted key name, such as "cluster.k". It is "" for a
	// syntax error that no key can be blamed for.
	Key string

	// Line is the 1-based line of the key in the file. It is 0 when the key
	// is not written in the file, for example a required key left out.
	Line int

	// Message states what is wrong and how to fix it.
	Message string

	// Warning marks a problem that does not stop Run, such as a camera
	// that is not plugged in yet.
	Warning bool
}

// String formats p as "line N: key: message", leaving out what is unknown.
func (p Problem) String() string {
	s := p.Message
	if p.Key != "" {
		s = p.Key + ": " + s
	}
	if p.Line > 0 {
		s = "line " + strconv.Itoa(p.Line) + ": " + s
	}
	return s
}

// KeyError is an invalid value of one config key, returned by Validate.
type KeyError struct {
	Key     string
	Message string
}

// Error returns the key and the message, marked as a configuration error.
func (e *KeyError) Error() string { return fmt.Sprintf("%v: %s %s", ErrConfig, e.Key, e.Message) }

// Unwrap returns ErrConfig.
func (e *KeyError) Unwrap() error { return ErrConfig }

// CheckConfig parses a TOML config file and returns its configuration and
// every problem found: syntax, unknown keys, wrong types, and values that
// Validate rejects once defaults are applied. Problems are sorted by line.
//
// Values are validated even when other keys have problems, so that one run
// lists everything. A key whose type was wrong is left out of validation,
// because its value was not decoded.
func CheckConfig(data []byte) (Config, []Problem) {
	c, problems := ParseConfig(data)
	if len(problems) == 1 && strings.HasPrefix(problems[0].Message, invalidTOML) {
		return c, problems
	}
	reported := map[string]bool{}
	for _, p := range problems {
		reported[p.Key] = true
	}
	lines := keyLines(data)
	for _, err := range unjoin(c.WithDefaults().Validate()) {
		var ke *KeyError
		switch {
		case errors.As(err, &ke) && reported[ke.Key]:
		case errors.As(err, &ke):
			problems = append(problems, Problem{Key: ke.Key, Line: lines[ke.Key],
				Message: ke.Message})
		default:
			problems = append(problems, Problem{Message: err.Error()})
		}
	}
	sortProblems(problems)
	return c, problems
}

// invalidTOML starts the message of a syntax error, after which nothing
// was decoded.
const invalidTOML = "invalid TOML: "

// ParseConfig decodes a TOML config file without validating values. It
// reports syntax errors, unknown keys and wrong types with their lines.
func ParseConfig(data []byte) (Config, []Problem) {
	if _, err := toml.Decode(string(data), new(map[string]any)); err != nil {
		return Config{}, []Problem{syntaxProblem(data, err)}
	}
	lines := keyLines(data)
	var problems []Problem
	c, md, typeProblems := decodeTyped(data, lines)
	problems = append(problems, typeProblems...)
	for _, k := range md.Undecoded() {
		key := k.String()
		if isTableOf(key, problems) {
			continue
		}
		problems = append(problems, Problem{Key: key, Line: lines[key],
			Message: "unknown key: check its spelling against edgecluster.example.toml"})
	}
	sortProblems(problems)
	return c, problems
}

// lastKey finds the key in the decoder's type error messages.
var lastKey = regexp.MustCompile(`\(last key "([^"]+)"\): (.*)$`)

// decodeTyped decodes into a Config. The decoder stops at the first value of
// the wrong type, so that value's line is blanked and decoding repeated
// until every wrong type is found.
func decodeTyped(data []byte, lines map[string]int) (Config, toml.MetaData, []Problem) {
	var problems []Problem
	text := append([]byte(nil), data...)
	for {
		var c Config
		md, err := toml.Decode(string(text), &c)
		if err == nil || len(problems) >= maxProblems {
			return c, md, problems
		}
		p := typeProblem(err, lines)
		problems = append(problems, p)
		if p.Line == 0 {
			return c, md, problems
		}
		text = blankLine(text, p.Line)
	}
}

func typeProblem(err error, lines map[string]int) Problem {
	msg := err.Error()
	var perr toml.ParseError
	if errors.As(err, &perr) {
		return Problem{Key: perr.LastKey, Line: lines[perr.LastKey], Message: perr.Message}
	}
	if m := lastKey.FindStringSubmatch(msg); m != nil {
		return Problem{Key: m[1], Line: lines[m[1]], Message: m[2]}
	}
	return Problem{Message: msg}
}

// syntaxProblem computes the line from the byte offset of the error,
// because the decoder counts an error at a line's newline as on the next line.
func syntaxProblem(data []byte, err error) Problem {
	var perr toml.ParseError
	if errors.As(err, &perr) {
		line := perr.Position.Line
		if start := perr.Position.Start; start >= 0 && start <= len(data) {
			line = 1 + bytes.Count(data[:start], []byte("\n"))
		}
		return Problem{Key: perr.LastKey, Line: line, Message: invalidTOML + perr.Message}
	}
	return Problem{Message: invalidTOML + err.Error()}
}

// blankLine replaces the 1-based line n of text with an empty line.
func blankLine(text []byte, n int) []byte {
	lines := bytes.Split(text, []byte("\n"))
	if n >= 1 && n <= len(lines) {
		lines[n-1] = nil
	}
	return bytes.Join(lines, []byte("\n"))
}

// isTableOf reports whether key is inside a key already reported as a
// problem, such as "cluster.k.x" under a wrong-typed "cluster.k".
func isTableOf(key string, problems []Problem) bool {
	for _, p := range problems {
		if p.Key != "" && len(key) > len(p.Key) && key[:len(p.Key)+1] == p.Key+"." {
			return true
		}
	}
	return false
}

func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func sortProblems(p []Problem) {
	sort.SliceStable(p, func(i, j int) bool { return p[i].Line < p[j].Line })
}
