package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
)

// runSubcommand runs the subcommand of parent named by args[0]. Without
// arguments, or with -h, --help or help, it prints the subcommands. Help
// returns flag.ErrHelp, so the exit status is 0. The operand, such as
// MODEL, follows the options in the usage line.
func runSubcommand(ctx context.Context, parent, operand string, subs []command,
	args []string) error {
	if len(args) == 0 {
		subcommandUsage(parent, operand, subs)
		return fmt.Errorf("no subcommand given: use one of %s", subcommandNames(subs))
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		subcommandUsage(parent, operand, subs)
		return flag.ErrHelp
	}

	for _, c := range subs {
		if c.name == args[0] {
			return c.run(ctx, args[1:])
		}
	}
	subcommandUsage(parent, operand, subs)
	return fmt.Errorf("unknown %s subcommand %q: use one of %s", parent, args[0],
		subcommandNames(subs))
}

func subcommandUsage(parent, operand string, subs []command) {
	line := strings.TrimSpace("edgecluster " + parent + " SUBCOMMAND [options] " + operand)
	fmt.Fprintf(os.Stderr, "usage: %s\n\nsubcommands:\n", line)
	for _, c := range subs {
		fmt.Fprintf(os.Stderr, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(os.Stderr, "\nRun 'edgecluster %s SUBCOMMAND --help' for its options.\n", parent)
}

func subcommandNames(subs []command) string {
	names := make([]string, len(subs))
	for i, c := range subs {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}
