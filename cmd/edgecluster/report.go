package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/edgecluster/edgecluster/edge/cluster"
	"github.com/edgecluster/edgecluster/edge/eval"
	"github.com/edgecluster/edgecluster/edge/store"
	"github.com/edgecluster/edgecluster/sync/hub"
)

// reportFlags are the options of "edgecluster report".
type reportFlags struct {
	manifest, assignments, state, hubURL, device, label string
}

func runReport(ctx context.Context, args []string) error {
	fs := newFlagSet("report", "")
	var f reportFlags
	fs.StringVar(&f.manifest, "manifest", "demo/scenes.manifest.csv",
		"CSV `file` with frame and scene columns")
	fs.StringVar(&f.assignments, "assignments", "",
		"CSV `file` written by 'edgecluster run --assignments'")
	fs.StringVar(&f.state, "state", "",
		"device state `file`; counts frames under the clusters that hold them after merges")
	fs.StringVar(&f.hubURL, "hub", "",
		"hub base URL such as http://127.0.0.1:8080; empty skips the hub check")
	fs.StringVar(&f.device, "device-id", "", "device whose clusters the hub must have")
	fs.StringVar(&f.label, "label", "report", "word that starts the one-line result")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if f.assignments == "" {
		return errors.New("--assignments is required")
	}
	return report(ctx, f)
}

func report(ctx context.Context, f reportFlags) error {
	scenes, assigned, err := readEvalInputs(f.manifest, f.assignments)
	if err != nil {
		return err
	}
	var final *cluster.State
	if f.state != "" {
		st, err := loadDeviceState(f.state)
		if err != nil {
			return err
		}
		final = &st
		assigned = eval.Remap(assigned, cluster.Survivors(st.Lineage))
	}
	rep := eval.Compare(scenes, assigned)

	var hubClusters []hub.ClusterInfo
	line := fmt.Sprintf("%s: %d frames, %d clusters", f.label, rep.Frames,
		clusterCount(rep, final))
	if f.hubURL != "" {
		var hubLine string
		if hubClusters, hubLine, err = hubSummary(ctx, f.hubURL, f.device); err != nil {
			return err
		}
		line += ", " + hubLine
	}
	printClusters(rep, final, hubClusters)
	fmt.Printf("%s, scene NMI %.3f\n", line, rep.NMI)
	return nil
}

func readEvalInputs(manifestPath, assignmentsPath string) (
	map[uint64]string, map[uint64]int, error) {
	mf, err := os.Open(manifestPath)
	if err != nil {
		return nil, nil, err
	}
	defer mf.Close()
	scenes, err := eval.ReadManifest(mf)
	if err != nil {
		return nil, nil, err
	}
	af, err := os.Open(assignmentsPath)
	if err != nil {
		return nil, nil, err
	}
	defer af.Close()
	assigned, err := eval.ReadAssignments(af)
	return scenes, assigned, err
}

// loadDeviceState reads the only cluster space of a device state file.
func loadDeviceState(path string) (cluster.State, error) {
	if _, err := os.Stat(path); err != nil {
		return cluster.State{}, fmt.Errorf("--state: %w", err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := store.Open(path, store.Options{Logger: quiet})
	if err != nil {
		return cluster.State{}, fmt.Errorf("--state: %w", err)
	}
	defer st.Close()
	spaces, err := st.Spaces()
	if err != nil {
		return cluster.State{}, err
	}
	if len(spaces) != 1 {
		return cluster.State{}, fmt.Errorf("--state %s contains %d cluster spaces %v, want one "+
			"(run the report on a state file of a single run)", path, len(spaces), spaces)
	}
	state, _, err := st.LoadClusters(spaces[0])
	return state, err
}

func clusterCount(rep eval.Report, final *cluster.State) int {
	if final != nil {
		return len(final.Clusters)
	}
	return len(rep.Clusters)
}

// printClusters prints one row per cluster: the device's own clusters when
// the state file is known, otherwise every id found in the assignments.
func printClusters(rep eval.Report, final *cluster.State, fromHub []hub.ClusterInfo) {
	rows := map[int]eval.ClusterRow{}
	for _, r := range rep.Clusters {
		rows[r.ID] = r
	}
	silhouette := map[int]*float64{}
	for _, c := range fromHub {
		silhouette[c.ID] = c.Silhouette
	}
	fmt.Printf("%7s %7s %10s  %-12s %7s\n", "cluster", "frames", "silhouette", "scene", "purity")
	defer fmt.Println("(silhouette \"-\": the cluster has no frame among the recent frames scored)")
	for _, id := range reportIDs(rep, final) {
		r := rows[id]
		fmt.Printf("%7d %7d %10s  %-12s %6.1f%%\n", id, r.Frames, formatScore(silhouette[id]),
			r.Scene, 100*r.Purity)
	}
}

func reportIDs(rep eval.Report, final *cluster.State) []int {
	var ids []int
	if final != nil {
		for _, c := range final.Clusters {
			ids = append(ids, c.ID)
		}
		return ids
	}
	for _, r := range rep.Clusters {
		ids = append(ids, r.ID)
	}
	return ids
}

func formatScore(v *float64) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf("%.3f", *v)
}

// hubSummary fetches what the hub stored for device.
func hubSummary(ctx context.Context, base, device string) ([]hub.ClusterInfo, string, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	c := &hub.Client{BaseURL: base}
	devs, err := c.Devices(ctx)
	if err != nil {
		return nil, "", err
	}
	clusters, err := c.Clusters(ctx, device)
	if err != nil {
		return nil, "", err
	}
	line := fmt.Sprintf("hub has %d clusters of device %s (%d %s in all)", len(clusters),
		device, len(devs), pluralDevices(len(devs)))
	return clusters, line, nil
}

func pluralDevices(n int) string {
	if n == 1 {
		return "device"
	}
	return "devices"
}
