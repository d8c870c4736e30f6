package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/edgecluster/edgecluster/daemon"
)

func runDaemon(ctx context.Context, args []string) error {
	fs := newFlagSet("run", "")
	configPath := fs.String("config", "", "TOML config `file`; flags override its values")
	source := fs.String("source", "", "MJPEG file or folder of JPEG/PNG files (source.path)")
	broker := fs.String("broker", "", "MQTT broker URL such as tcp://127.0.0.1:1883 (mqtt.broker)")
	state := fs.String("state", "", "bbolt state `file` (state; default edgecluster.db)")
	device := fs.String("device-id", "", "device id used in topics (device_id; default host name)")
	once := fs.Bool("once", false, "process the source to its end, publish, drain and exit")
	fps := fs.Float64("fps", 0, "frame rate limit in frames per second, 0 = none (source.fps)")
	k := fs.Int("k", 0, "number of clusters (cluster.k; default 8)")
	workers := fs.Int("workers", 0, "frames embedded in parallel (workers; default CPU count)")
	model := fs.String("model", "", "TFLite model `file` (model.path; default bundled model)")
	assignments := fs.String("assignments", "",
		"write one CSV line frame,cluster,distance per embedded frame to this `file`")
	level := fs.String("log-level", "info", "log level: debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log, err := newLogger(*level)
	if err != nil {
		return err
	}

	cfg := daemon.Config{}
	if *configPath != "" {
		if cfg, err = daemon.LoadConfig(*configPath); err != nil {
			return err
		}
	}
	// Only flags given on the command line override the config file.
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "source":
			cfg.Source.Path = *source
		case "broker":
			cfg.MQTT.Broker = *broker
		case "state":
			cfg.StatePath = *state
		case "device-id":
			cfg.DeviceID = *device
		case "model":
			cfg.Model.Path = *model
		case "fps":
			cfg.Source.FPS = *fps
		case "k":
			cfg.Cluster.K = *k
		case "workers":
			cfg.Workers = *workers
		}
	})

	opts := daemon.Options{Once: *once, Version: version, Logger: log}
	if *assignments != "" {
		f, err := os.Create(*assignments)
		if err != nil {
			return fmt.Errorf("--assignments: %w", err)
		}
		defer f.Close()
		opts.Assignments = f
	}
	res, err := daemon.Run(ctx, cfg, opts)
	if err != nil {
		return err
	}
	fmt.Printf("frames seen %d, embedded %d, corrupt %d; %d clusters; %d summaries\n",
		res.Frames.Seen, res.Frames.Embedded, res.Frames.Corrupt, res.Clusters, res.Summaries)
	return nil
}
