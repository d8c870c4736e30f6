// Command edgecluster is the edgecluster device daemon, hub and tools.
//
//	edgecluster run     process frames, cluster them, publish summaries
//	edgecluster hub     aggregate device summaries, serve the API and page
//	edgecluster embed   print embeddings of image files as JSON lines
//	edgecluster report  compare a run's cluster assignments with true scenes
//	edgecluster sensors list   list V4L2 cameras, formats and frame sizes
//	edgecluster models  inspect or cut TFLite models
//	edgecluster status  print a summary of the running daemon
//	edgecluster config  check a config file
//	edgecluster service install, uninstall, start, stop or query the service
//	edgecluster eval    score the clusterers against scikit-learn on labelled data
//	edgecluster map     lay out a device's cluster centroids in 2-D (PCA or t-SNE)
//	edgecluster dec     train an autoencoder on vectors or cluster them with DEC
//
// Run "edgecluster COMMAND --help" for the options of each command.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string) error
}

var commands = []command{
	{"run", "process frames, cluster them, publish summaries", runDaemon},
	{"hub", "aggregate device summaries, serve the API and page", runHub},
	{"embed", "print embeddings of image files as JSON lines", runEmbed},
	{"report", "compare a run's cluster assignments with true scenes", runReport},
	{"sensors", "list V4L2 cameras with their formats and frame sizes", runSensors},
	{"models", "inspect, cut, resize, quantize or compare TFLite models", runModels},
	{"status", "print a summary of the running daemon", runStatus},
	{"config", "check a config file: config check [FILE]", runConfig},
	{"service", "install or control the system service", runService},
	{"eval", "score streaming and batch k-means against scikit-learn on labelled data",
		runEval},
	{"map", "lay out a device's cluster centroids in 2-D with PCA or t-SNE", runMap},
	{"dec", "train an autoencoder on vectors or cluster them with DEC: dec train|cluster",
		runDec},
	{"version", "print the version", printVersion},
}

func printVersion(_ context.Context, args []string) error {
	fs := newFlagSet("version", "")
	if err := fs.Parse(args); err != nil {
		return err
	}
	fmt.Println(version)
	return nil
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(dispatch(ctx, os.Args[1:]))
}

func dispatch(ctx context.Context, args []string) int {
	switch {
	case len(args) == 0:
		usage()
		return 2
	case args[0] == "-h" || args[0] == "--help" || args[0] == "help":
		usage()
		return 0
	case args[0] == "--version" || args[0] == "-version":
		fmt.Println(version)
		return 0
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:])
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		if errors.Is(err, errProblems) || errors.Is(err, errUnhealthy) {
			return 1
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "edgecluster %s: %v\n", c.name, err)
			return 1
		}
		return 0
	}
	fmt.Fprintf(os.Stderr, "edgecluster: unknown command %q\n", args[0])
	usage()
	return 2
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: edgecluster COMMAND [options]\n\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(os.Stderr, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(os.Stderr, "\nRun 'edgecluster COMMAND --help' for the options of a command.")
}

// newLogger returns a text logger on stderr at the named level.
func newLogger(level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: use debug, info, warn or error", level)
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: l})), nil
}

// newFlagSet returns a flag set whose usage names the command.
func newFlagSet(name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: %s\n\noptions:\n",
			strings.TrimSpace("edgecluster "+name+" [options] "+args))
		fs.PrintDefaults()
	}
	return fs
}
