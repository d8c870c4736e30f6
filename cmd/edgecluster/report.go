package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/edgecluster/edgecluster/edge/eval"
	"github.com/edgecluster/edgecluster/sync/hub"
)

func runReport(ctx context.Context, args []string) error {
	fs := newFlagSet("report", "")
	manifest := fs.String("manifest", "demo/scenes.manifest.csv",
		"CSV `file` with frame and scene columns")
	assignments := fs.String("assignments", "",
		"CSV `file` written by 'edgecluster run --assignments'")
	hubURL := fs.String("hub", "",
		"hub base URL such as http://127.0.0.1:8080; empty skips the hub check")
	device := fs.String("device-id", "", "device whose clusters the hub must have")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *assignments == "" {
		return errors.New("--assignments is required")
	}
	rep, err := readReport(*manifest, *assignments)
	if err != nil {
		return err
	}
	printClusters(rep)
	line := fmt.Sprintf("demo: %d frames, %d clusters", rep.Frames, len(rep.Clusters))
	if *hubURL != "" {
		hubLine, err := hubSummary(ctx, *hubURL, *device)
		if err != nil {
			return err
		}
		line += ", " + hubLine
	}
	fmt.Printf("%s, scene NMI %.3f\n", line, rep.NMI)
	return nil
}

func readReport(manifestPath, assignmentsPath string) (eval.Report, error) {
	mf, err := os.Open(manifestPath)
	if err != nil {
		return eval.Report{}, err
	}
	defer mf.Close()
	scenes, err := eval.ReadManifest(mf)
	if err != nil {
		return eval.Report{}, err
	}
	af, err := os.Open(assignmentsPath)
	if err != nil {
		return eval.Report{}, err
	}
	defer af.Close()
	assigned, err := eval.ReadAssignments(af)
	if err != nil {
		return eval.Report{}, err
	}
	return eval.Compare(scenes, assigned), nil
}

func printClusters(rep eval.Report) {
	fmt.Printf("%7s %7s %-12s %7s\n", "cluster", "frames", "scene", "purity")
	for _, c := range rep.Clusters {
		fmt.Printf("%7d %7d %-12s %6.1f%%\n", c.ID, c.Frames, c.Scene, 100*c.Purity)
	}
}

// hubSummary checks what the hub stored for device.
func hubSummary(ctx context.Context, base, device string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	c := &hub.Client{BaseURL: base}
	devs, err := c.Devices(ctx)
	if err != nil {
		return "", err
	}
	clusters, err := c.Clusters(ctx, device)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("hub has %d clusters from %d device", len(clusters), len(devs)), nil
}
