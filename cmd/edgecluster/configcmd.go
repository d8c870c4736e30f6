package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/edgecluster/edgecluster/daemon"
)

// defaultConfigPath is the config file that the package installs.
const defaultConfigPath = "/etc/edgecluster/config.toml"

// errProblems makes "config check" exit with status 1 after it printed the
// problems, without printing a second message.
var errProblems = errors.New("config has problems")

func runConfig(_ context.Context, args []string) error {
	if len(args) == 0 || args[0] != "check" {
		fmt.Fprintln(os.Stderr, "usage: edgecluster config check [FILE]")
		return fmt.Errorf("unknown config subcommand %q: use check", firstOr(args, ""))
	}
	fs := newFlagSet("config check", "[FILE]")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	return checkConfigFile(firstOr(fs.Args(), defaultConfigPath))
}

// checkConfigFile prints one line per problem as FILE:LINE: key: message.
func checkConfigFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	_, problems := daemon.CheckConfig(data)
	for _, p := range problems {
		loc := path
		if p.Line > 0 {
			loc = fmt.Sprintf("%s:%d", path, p.Line)
		}
		key := ""
		if p.Key != "" {
			key = p.Key + ": "
		}
		fmt.Printf("%s: %s%s\n", loc, key, p.Message)
	}
	if len(problems) > 0 {
		return errProblems
	}
	fmt.Printf("%s: ok\n", path)
	return nil
}

func firstOr(args []string, def string) string {
	if len(args) == 0 {
		return def
	}
	return args[0]
}
