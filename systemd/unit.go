package systemd

import (
	_ "embed"
	"fmt"
	"strings"
)

// UnitName is the file name of the unit.
const UnitName = "edgecluster.service"

// DefaultBinary is the binary path in Unit, where the .deb installs it.
const DefaultBinary = "/usr/bin/edgecluster"

// Unit is the text of edgecluster.service.
//
//go:embed edgecluster.service
var Unit string

// UnitFor returns Unit with ExecStart running binary instead of
// DefaultBinary. The path must be absolute and free of blanks, which
// systemd would split into arguments.
func UnitFor(binary string) (string, error) {
	if !strings.HasPrefix(binary, "/") || strings.ContainsAny(binary, " \t\n\"'\\%$") {
		return "", fmt.Errorf("binary path %q: want an absolute path without blanks, quotes, "+
			"'%%' or '$'", binary)
	}
	old := "ExecStart=" + DefaultBinary + " "
	if strings.Count(Unit, old) != 1 {
		return "", fmt.Errorf("unit has no single %q line", old)
	}
	return strings.Replace(Unit, old, "ExecStart="+binary+" ", 1), nil
}
