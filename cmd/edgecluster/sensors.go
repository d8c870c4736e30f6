package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/edgecluster/edgecluster/sensors/v4l2"
)

// runSensors implements "edgecluster sensors list".
func runSensors(_ context.Context, args []string) error {
	fs := newFlagSet("sensors", "list")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || fs.Arg(0) != "list" {
		fs.Usage()
		return fmt.Errorf("expected the subcommand \"list\"")
	}
	infos, errs := v4l2.List()
	printDevices(os.Stdout, infos)
	for _, err := range errs {
		fmt.Fprintln(os.Stderr, err)
	}
	if len(infos) == 0 && len(errs) == 0 {
		fmt.Println("no /dev/video* devices")
	}
	return nil
}

// printDevices writes one block per device: its identity, then one line per
// format with its frame sizes.
func printDevices(w io.Writer, infos []v4l2.Info) {
	for _, in := range infos {
		fmt.Fprintf(w, "%s  %s  driver %s  bus %s\n", in.Path, in.Card, in.Driver, in.Bus)
		if !in.Capture {
			fmt.Fprintln(w, "    not a streaming capture device (metadata or output node)")
			continue
		}
		for _, f := range in.Formats {
			fmt.Fprintf(w, "    %s  %-20s %s\n", f.FourCC, f.Description, sizeList(f))
		}
	}
}

func sizeList(f v4l2.Format) string {
	if f.Stepwise && len(f.Sizes) == 2 {
		return f.Sizes[0].String() + " to " + f.Sizes[1].String()
	}
	names := make([]string, len(f.Sizes))
	for i, s := range f.Sizes {
		names[i] = s.String()
	}
	return strings.Join(names, " ")
}
