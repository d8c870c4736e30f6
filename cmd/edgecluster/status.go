package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/edgecluster/edgecluster/daemon"
)

// errUnhealthy makes "status" exit with status 1 for a daemon that runs but
// reports a problem.
var errUnhealthy = errors.New("daemon is not healthy")

func runStatus(ctx context.Context, args []string) error {
	fs := newFlagSet("status", "")
	addr := fs.String("addr", "", "host:port of the daemon's HTTP endpoint "+
		"(default: http.listen of --config, else "+daemon.DefaultHTTPListen+")")
	config := fs.String("config", defaultConfigPath, "config `file` to read http.listen from")
	if err := fs.Parse(args); err != nil {
		return err
	}
	target := *addr
	if target == "" {
		target = statusAddress(*config)
	}
	snap, err := fetchStatus(ctx, target)
	if err != nil {
		return err
	}
	printStatus(os.Stdout, snap)
	if !snap.Healthy {
		return errUnhealthy
	}
	return nil
}

// statusAddress reads http.listen from the config file when it can.
func statusAddress(path string) string {
	cfg, err := daemon.LoadConfig(path)
	if err != nil || cfg.HTTP.Address() == "" {
		return daemon.DefaultHTTPListen
	}
	return cfg.HTTP.Address()
}

func fetchStatus(ctx context.Context, addr string) (daemon.Snapshot, error) {
	var snap daemon.Snapshot
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	url := "http://" + addr + "/status"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return snap, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return snap, fmt.Errorf("no daemon responded at %s (is it running, and is http.listen "+
			"set to this address?): %w", addr, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return snap, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(&snap); err != nil {
		return snap, fmt.Errorf("GET %s: invalid status JSON: %w", url, err)
	}
	return snap, nil
}

func printStatus(w io.Writer, s daemon.Snapshot) {
	health := "healthy"
	if !s.Healthy {
		health = "NOT HEALTHY: " + s.Problem
	}
	mqtt := "off"
	if s.Broker != "" {
		mqtt = fmt.Sprintf("%s, %s, outbox %d, reconnects %d", s.Broker,
			connectedWord(s.Connected), s.Outbox, s.Reconnects)
	}
	rows := [][2]string{
		{"device", fmt.Sprintf("%s (edgecluster %s)", s.Device, s.Version)},
		{"state", fmt.Sprintf("%s, %s, up %s", s.State, health, s.Uptime)},
		{"source", s.Source},
		{"model", s.Model},
		{"frames", fmt.Sprintf("%d read, %d embedded, %d gated, %d corrupt",
			s.Frames, s.Embedded, s.Gated, s.Corrupt)},
		{"inference", fmt.Sprintf("%.1f ms per frame (mean)", s.InferenceMS)},
		{"clusters", fmt.Sprintf("%d with %d frames, %d summaries, last %s", s.Clusters,
			s.Observed, s.Summaries, formatTime(s.LastSummary))},
		{"mqtt", mqtt},
	}
	for _, r := range rows {
		fmt.Fprintf(w, "%-10s %s\n", r[0]+":", strings.TrimSpace(r[1]))
	}
}

func connectedWord(ok bool) string {
	if ok {
		return "connected"
	}
	return "disconnected"
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.Local().Format(time.DateTime)
}
