// Command deb builds the edgecluster .deb for one architecture with the
// nfpm library. Run it from the repository root after "make cross":
//
//	go run ./cross/deb --arch arm64 --binary bin/edgecluster-linux-arm64 \
//	    --version 1.2.3 --out dist
//
// The package holds the binary, the systemd unit, a config file, the
// example config, the default model and its licence, and maintainer
// scripts that create the edgecluster user and its state directory.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	var o options
	flag.StringVar(&o.Arch, "arch", "amd64", "Go architecture: amd64, arm64 or arm7 (GOARM=7)")
	flag.StringVar(&o.Binary, "binary", "", "edgecluster binary built for --arch (required)")
	flag.StringVar(&o.Version, "version", "0.0.0", "package version, such as 1.2.3 or v1.2.3-rc1")
	flag.StringVar(&o.Root, "root", ".", "repository root holding systemd/, models/ and the example")
	flag.StringVar(&o.Out, "out", "dist", "output `folder`")
	flag.Parse()
	path, err := build(o)
	if err != nil {
		fmt.Fprintf(os.Stderr, "deb: %v\n", err)
		os.Exit(1)
	}
	fmt.Println(path)
}
