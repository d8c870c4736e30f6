package daemon

import (
	"bufio"
	"bytes"
	"strings"
)

// keyLines maps each dotted key of a TOML document to the 1-based line
// where it is set or its table is opened. It understands what config files
// use: [table] headers, bare and quoted keys, and dotted keys. Array tables
// and multi-line values are read line by line, so keys inside a multi-line
// string may be reported, which is harmless for lookups.
func keyLines(data []byte) map[string]int {
	lines := map[string]int{}
	table := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || line[0] == '#':
		case line[0] == '[':
			table = joinKey(parseHeader(line))
			setFirst(lines, table, n)
		default:
			key, ok := parseKey(line)
			if ok {
				setFirst(lines, joinKey(table, key), n)
			}
		}
	}
	return lines
}

func setFirst(m map[string]int, key string, line int) {
	if _, ok := m[key]; !ok && key != "" {
		m[key] = line
	}
}

// parseHeader returns the table name of "[a.b]" or "[[a.b]]".
func parseHeader(line string) string {
	line = strings.Trim(line, "[] \t")
	if i := strings.Index(line, "]"); i >= 0 {
		line = line[:i]
	}
	return normalizeKey(line)
}

// parseKey returns the key of a "key = value" line.
func parseKey(line string) (string, bool) {
	i := strings.Index(line, "=")
	if i <= 0 {
		return "", false
	}
	return normalizeKey(line[:i]), true
}

// normalizeKey removes blanks and quotes around each dotted part.
func normalizeKey(k string) string {
	parts := strings.Split(k, ".")
	for i, p := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(p), `"'`)
	}
	return strings.Join(parts, ".")
}

func joinKey(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, ".")
}
