package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// configEdits turns the example config, whose paths suit a checkout of the
// repository, into the installed one, which reads the first V4L2 camera and
// keeps its state in the service's state directory.
var configEdits = [][2]string{
	{"state = \"edgecluster.db\"", "state = \"" + stateDir + "/edgecluster.db\""},
	{"kind = \"file\"", "kind = \"v4l2\""},
	{"path = \"demo/scenes.mjpeg\"", "path = \"\""},
}

// installedConfig returns the example config with configEdits applied. It
// fails when a line to edit is missing, so that a change to the example
// cannot silently leave a checkout path in the package.
func installedConfig(example string) (string, error) {
	header := "# Installed by the edgecluster package. Every key is documented, with its\n" +
		"# default, in " + docDir + "/" + exampleName + ".\n" +
		"# Check changes with: edgecluster config check " + configPath + "\n\n"
	out := example
	for _, e := range configEdits {
		if strings.Count(out, e[0]) != 1 {
			return "", fmt.Errorf("%s: want exactly one line %q to replace", exampleName, e[0])
		}
		out = strings.Replace(out, e[0], e[1], 1)
	}
	return header + out, nil
}

func writeConfig(root, work string) (string, error) {
	example, err := os.ReadFile(filepath.Join(root, exampleName))
	if err != nil {
		return "", err
	}
	text, err := installedConfig(string(example))
	if err != nil {
		return "", err
	}
	path := filepath.Join(work, "config.toml")
	return path, os.WriteFile(path, []byte(text), 0o644)
}
