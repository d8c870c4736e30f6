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

// configCommands are the subcommands of "edgecluster config".
var configCommands = []command{
	{"check", "report unknown keys, invalid values, and files or a model that cannot be read",
		runConfigCheck},
}

func runConfig(ctx context.Context, args []string) error {
	return runSubcommand(ctx, "config", "", configCommands, args)
}

func runConfigCheck(_ context.Context, args []string) error {
	fs := newFlagSet("config check", "[FILE]")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return checkConfigFile(firstOr(fs.Args(), defaultConfigPath))
}

// checkConfigFile prints one line per problem as FILE:LINE: key: message,
// with "warning: " before the message of a problem that does not stop run.
// Only problems that are not warnings make it fail.
func checkConfigFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	_, problems := daemon.CheckConfigFile(data)
	failed := false
	for _, p := range problems {
		printProblem(path, p)
		failed = failed || !p.Warning
	}
	if failed {
		return errProblems
	}
	fmt.Printf("%s: ok\n", path)
	return nil
}

func printProblem(path string, p daemon.Problem) {
	loc := path
	if p.Line > 0 {
		loc = fmt.Sprintf("%s:%d", path, p.Line)
	}
	key := ""
	if p.Key != "" {
		key = p.Key + ": "
	}
	if p.Warning {
		key += "warning: "
	}
	fmt.Printf("%s: %s%s\n", loc, key, p.Message)
}

func firstOr(args []string, def string) string {
	if len(args) == 0 {
		return def
	}
	return args[0]
}
