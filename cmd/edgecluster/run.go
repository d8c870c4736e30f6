package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/edgecluster/edgecluster/daemon"
)

// runFlags are the options of "edgecluster run".
type runFlags struct {
	config, source, broker, state, device, model, assignments, level, http string
	once                                                                   bool
	fps                                                                    float64
	k, workers                                                             int
}

func (f *runFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.config, "config", "", "TOML config `file`; flags override its values")
	fs.StringVar(&f.source, "source", "", "MJPEG file or folder of JPEG/PNG files (source.path)")
	fs.StringVar(&f.broker, "broker", "",
		"MQTT broker URL such as tcp://127.0.0.1:1883 (mqtt.broker)")
	fs.StringVar(&f.state, "state", "", "bbolt state `file` (state; default edgecluster.db)")
	fs.StringVar(&f.device, "device-id", "",
		"device id used in topics (device_id; default host name)")
	fs.BoolVar(&f.once, "once", false, "process the source to its end, publish, drain and exit")
	fs.Float64Var(&f.fps, "fps", 0,
		"frame rate limit in frames per second, 0 = none (source.fps)")
	fs.IntVar(&f.k, "k", 0, "number of clusters (cluster.k; default 8)")
	fs.IntVar(&f.workers, "workers", 0,
		"frames embedded in parallel (workers; default CPU count)")
	fs.StringVar(&f.model, "model", "", "TFLite model `file` (model.path; default bundled model)")
	fs.StringVar(&f.assignments, "assignments", "",
		"write one CSV line frame,cluster,distance per embedded frame to this `file`")
	fs.StringVar(&f.http, "http", "", "host:port of /metrics, /healthz and /status, "+
		"or off (http.listen; default "+daemon.DefaultHTTPListen+")")
	fs.StringVar(&f.level, "log-level", "info", "log level: debug, info, warn or error")
}

// apply copies the flags given on the command line over the config file's values.
func (f *runFlags) apply(fs *flag.FlagSet, cfg *daemon.Config) {
	fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "source":
			cfg.Source.Path = f.source
		case "broker":
			cfg.MQTT.Broker = f.broker
		case "state":
			cfg.StatePath = f.state
		case "device-id":
			cfg.DeviceID = f.device
		case "model":
			cfg.Model.Path = f.model
		case "fps":
			cfg.Source.FPS = f.fps
		case "k":
			cfg.Cluster.K = f.k
		case "workers":
			cfg.Workers = f.workers
		case "http":
			cfg.HTTP.Listen = f.http
		}
	})
}

func runDaemon(ctx context.Context, args []string) error {
	fs := newFlagSet("run", "")
	var f runFlags
	f.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	log, err := newLogger(f.level)
	if err != nil {
		return err
	}

	cfg := daemon.Config{}
	if f.config != "" {
		if cfg, err = daemon.LoadConfig(f.config); err != nil {
			return err
		}
	}
	f.apply(fs, &cfg)

	sup := newSupervisor(log)
	if err := sup.start(ctx, cfg.HTTP.Address()); err != nil {
		return err
	}
	defer sup.stop()
	opts := daemon.Options{Once: f.once, Version: version, Logger: log,
		Monitor: sup.mon, Ready: sup.ready}
	if f.assignments != "" {
		out, err := os.Create(f.assignments)
		if err != nil {
			return fmt.Errorf("--assignments: %w", err)
		}
		defer out.Close()
		opts.Assignments = out
	}
	res, err := daemon.Run(ctx, cfg, opts)
	if err != nil {
		return err
	}
	fmt.Printf("since the state was created: frames seen %d, embedded %d, gated %d, "+
		"corrupt %d; %d clusters; %d summaries this run\n", res.Frames.Seen,
		res.Frames.Embedded, res.Frames.Gated, res.Frames.Corrupt, res.Clusters, res.Summaries)
	return nil
}
