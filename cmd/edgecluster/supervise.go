package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/edgecluster/edgecluster/daemon"
	"github.com/edgecluster/edgecluster/internal/sdnotify"
)

// supervisor connects a running pipeline to its observers: the HTTP
// endpoint and, under systemd, readiness, stop and watchdog notifications.
type supervisor struct {
	mon    *daemon.Monitor
	log    *slog.Logger
	server *http.Server
	done   chan struct{}
}

func newSupervisor(log *slog.Logger) *supervisor {
	return &supervisor{mon: daemon.NewMonitor(nil), done: make(chan struct{}),
		log: log.With("component", "supervisor")}
}

// start serves HTTP on addr unless it is "" and starts the watchdog and
// stop notifications. It returns once the listener is bound.
func (s *supervisor) start(ctx context.Context, addr string) error {
	if addr != "" {
		if err := s.serve(addr); err != nil {
			return err
		}
	}
	go s.notifyStop(ctx)
	interval, err := sdnotify.WatchdogInterval()
	if err != nil {
		s.log.Warn("watchdog disabled", "err", err)
	}
	if interval > 0 {
		go s.watchdog(interval / 2)
	}
	return nil
}

func (s *supervisor) serve(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("http.listen: %w", err)
	}
	s.server = &http.Server{Handler: s.mon.Handler(), ReadHeaderTimeout: 5 * time.Second}
	s.log.Info("serving", "addr", ln.Addr().String(), "paths", "/metrics /healthz /status")
	go func() {
		if err := s.server.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("http server failed", "err", err)
		}
	}()
	return nil
}

// ready notifies systemd that the daemon is up.
func (s *supervisor) ready() {
	s.notify(sdnotify.Ready, sdnotify.Status("processing frames"))
}

func (s *supervisor) notifyStop(ctx context.Context) {
	select {
	case <-ctx.Done():
		s.notify(sdnotify.Stopping, sdnotify.Status("stopping: committing state"))
	case <-s.done:
	}
}

// watchdog pings systemd while the pipeline is healthy. When it stalls the
// pings stop, and systemd restarts the service after WatchdogSec.
func (s *supervisor) watchdog(every time.Duration) {
	s.log.Info("watchdog started", "interval", every)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-s.done:
			return
		case <-tick.C:
		}
		if ok, problem := s.mon.Healthy(); !ok {
			s.log.Warn("watchdog ping skipped", "problem", problem)
			continue
		}
		s.notify(sdnotify.Watchdog)
	}
}

func (s *supervisor) notify(lines ...string) {
	if _, err := sdnotify.Notify(lines...); err != nil {
		s.log.Warn("systemd notification failed", "err", err)
	}
}

// stop ends the HTTP server and the notification goroutines.
func (s *supervisor) stop() {
	close(s.done)
	if s.server == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := s.server.Shutdown(ctx); err != nil {
		s.log.Warn("http server stop failed", "err", err)
	}
}
