package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/edgecluster/edgecluster/sync/hub"
)

func runHub(ctx context.Context, args []string) error {
	fs := newFlagSet("hub", "")
	broker := fs.String("broker", "tcp://127.0.0.1:1883", "MQTT broker URL")
	listen := fs.String("listen", "127.0.0.1:8080", "HTTP listen address for the API and page")
	state := fs.String("state", "hub.db", "hub bbolt state `file`")
	prefix := fs.String("prefix", "", "topic prefix (default edgecluster)")
	addrFile := fs.String("addr-file", "", "write the bound HTTP address to this `file` "+
		"(useful with --listen 127.0.0.1:0)")
	level := fs.String("log-level", "info", "log level: debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log, err := newLogger(*level)
	if err != nil {
		return err
	}
	h, err := hub.New(hub.Options{Broker: *broker, StatePath: *state, Prefix: *prefix, Logger: log})
	if err != nil {
		return err
	}
	defer h.Close()

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	if *addrFile != "" {
		if err := os.WriteFile(*addrFile, []byte(ln.Addr().String()+"\n"), 0o644); err != nil {
			return err
		}
	}
	srv := &http.Server{Handler: h.Handler(), ReadHeaderTimeout: 10 * time.Second}
	h.Start()
	log.Info("serving", "component", "hub", "listen", ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err = <-errc:
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err = srv.Shutdown(shutdown)
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}
