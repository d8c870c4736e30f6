package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/edgecluster/edgecluster/daemon"
	"github.com/edgecluster/edgecluster/sync/hub"
)

func runHub(ctx context.Context, args []string) error {
	fs := newFlagSet("hub", "")
	broker := fs.String("broker", "tcp://127.0.0.1:1883", "MQTT broker URL")
	listenAddr := fs.String("listen", "127.0.0.1:8080", "HTTP listen address for the API and page")
	state := fs.String("state", "hub.db", "hub bbolt state `file`")
	prefix := fs.String("prefix", "", "topic prefix (default edgecluster)")
	addrFile := fs.String("addr-file", "", "write the bound HTTP address to this `file` "+
		"(useful with --listen 127.0.0.1:0)")
	level := fs.String("log-level", "info", "log level: debug, info, warn or error")
	var o hub.Options
	fs.StringVar(&o.ClientID, "client-id", "", "MQTT client id, unique per hub instance "+
		"(default edgecluster-hub)")
	fs.StringVar(&o.Store, "store", "", "PostgreSQL connection string, such as "+
		"postgres://USER@HOST/DB, that keeps the hub state in place of --state; "+
		"instances with --share need one; give the password in PGPASSWORD or ~/.pgpass")
	fs.StringVar(&o.Share, "share", "", "shared subscription `group`: hub instances with the "+
		"same group split the messages")
	fs.StringVar(&o.Username, "username", "", "MQTT user name; the password is read from "+
		daemon.PasswordEnv)
	fs.StringVar(&o.PasswordHash, "password-hash", "", "bcrypt `hash` of the password that "+
		"logs in to the page to change labels; print one with --hash-password "+
		"(default: label changes off)")
	fs.StringVar(&o.User, "user", "admin", "user name that logs in with --password-hash")
	fs.Float64Var(&o.FleetDistance, "fleet-distance", hub.DefaultFleetDistance,
		"largest cosine distance between centroids of two devices shown as one scene")
	hashOnly := fs.Bool("hash-password", false, "read a password from standard input, "+
		"print its bcrypt hash for --password-hash and exit")
	fs.StringVar(&o.TLS.CA, "ca-file", "", "PEM CA bundle for the broker certificate")
	fs.StringVar(&o.TLS.Cert, "cert-file", "", "PEM client certificate")
	fs.StringVar(&o.TLS.Key, "key-file", "", "PEM client key")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *hashOnly {
		return printPasswordHash(os.Stdin, os.Stdout)
	}
	log, err := newLogger(*level)
	if err != nil {
		return err
	}
	o.Broker, o.StatePath, o.Prefix, o.Logger = *broker, *state, *prefix, log
	o.Password = os.Getenv(daemon.PasswordEnv)
	h, err := hub.New(o)
	if err != nil {
		return err
	}
	defer h.Close()

	ln, err := listen(*listenAddr, *addrFile)
	if err != nil {
		return err
	}
	h.Start()
	log.Info("serving", "component", "hub", "listen", ln.Addr().String())
	return serve(ctx, ln, h.Handler())
}

// listen binds addr and writes the bound address to addrFile when set.
func listen(addr, addrFile string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--listen %s: %w", addr, err)
	}
	if addrFile == "" {
		return ln, nil
	}
	if err := os.WriteFile(addrFile, []byte(ln.Addr().String()+"\n"), 0o644); err != nil {
		ln.Close()
		return nil, err
	}
	return ln, nil
}

// serve runs an HTTP server on ln until ctx is done, then shuts it down.
func serve(ctx context.Context, ln net.Listener, handler http.Handler) error {
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	var err error
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

// printPasswordHash reads one line from r and writes its bcrypt hash to w.
func printPasswordHash(r io.Reader, w io.Writer) error {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read password: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	if password == "" {
		return errors.New("--hash-password: empty password on standard input")
	}
	hash, err := hub.HashPassword(password)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(w, hash)
	return err
}
