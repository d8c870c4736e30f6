// Package pgtest starts a private PostgreSQL server on a free loopback port
// for tests. The Debian package postgresql provides the binaries.
//
// Each server has its own data folder in a temporary folder, trusts every
// connection (it listens on 127.0.0.1 and on a Unix socket in that folder
// only) and by default runs with fsync off. It starts in one to three
// seconds and keeps nothing after the test.
package pgtest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/edgecluster/edgecluster/internal/mqtttest"
)

// User is the superuser that initdb creates and the DSNs connect as.
const User = "edgecluster"

// ErrNoBinaries is returned by Binaries when no PostgreSQL server is
// installed.
var ErrNoBinaries = errors.New("pgtest: PostgreSQL server not found: " +
	"install it with 'apt-get install -y postgresql'")

// Server is a running postgres process owned by one test.
type Server struct {
	// Port is the loopback TCP port.
	Port int

	// Dir is the temporary folder with the data folder, the Unix socket
	// and the server log.
	Dir string

	t       testing.TB
	bin     string
	opts    Options
	cmd     *exec.Cmd
	cred    *syscall.Credential
	created int
}

// Binaries returns the folder with initdb and postgres of the newest
// installed PostgreSQL version, such as /usr/lib/postgresql/15/bin.
func Binaries() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin/postgres")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) < version(dirs[j]) })
	if len(dirs) == 0 {
		return "", ErrNoBinaries
	}
	return filepath.Dir(dirs[len(dirs)-1]), nil
}

func version(postgres string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(postgres))))
	return n
}

// Options configures a test server. The zero value starts a server that
// does not flush to disk.
type Options struct {
	// Durable keeps PostgreSQL's default fsync and synchronous_commit, for
	// benchmarks that compare with a store that syncs every commit.
	Durable bool
}

// Start runs a server with the zero Options and stops it when the test
// ends.
func Start(t testing.TB) *Server {
	t.Helper()
	return StartWith(t, Options{})
}

// StartWith runs a server configured by opts and stops it when the test
// ends. Without the
// PostgreSQL binaries it skips the test, unless the environment variable
// CI is "true": then it fails it, so that CI cannot pass without running
// the PostgreSQL tests.
func StartWith(t testing.TB, opts Options) *Server {
	t.Helper()
	bin, err := Binaries()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	s := &Server{t: t, bin: bin, opts: opts}
	if err := s.start(); err != nil {
		s.Stop()
		t.Fatal(err)
	}
	return s
}

func (s *Server) start() error {
	if err := s.makeDir(); err != nil {
		return err
	}
	data := filepath.Join(s.Dir, "data")
	if err := s.run(filepath.Join(s.bin, "initdb"), "-D", data, "-U", User, "--auth=trust",
		"--no-sync", "--encoding=UTF8", "--no-locale"); err != nil {
		return err
	}
	port, err := mqtttest.FreePort()
	if err != nil {
		return err
	}
	s.Port = port
	return s.launch(data)
}

// makeDir creates Dir. As root it hands Dir to the user postgres, because
// postgres refuses to run as root. Dir is not under t.TempDir, whose
// parent folders only root can enter.
func (s *Server) makeDir() error {
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return err
	}
	s.Dir = dir
	s.t.Cleanup(func() { os.RemoveAll(dir) })
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return fmt.Errorf("pgtest: running as root needs the user postgres, which the "+
			"postgresql package creates: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	s.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	return os.Chown(dir, uid, gid)
}

func (s *Server) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	if s.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	}
	return cmd
}

func (s *Server) run(name string, args ...string) error {
	out, err := s.command(name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("pgtest: %s: %w\n%s", filepath.Base(name), err, out)
	}
	return nil
}

func (s *Server) launch(data string) error {
	logPath := filepath.Join(s.Dir, "postgres.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logFile.Close()
	if s.cred != nil {
		os.Chown(logPath, int(s.cred.Uid), int(s.cred.Gid))
	}
	args := []string{"-D", data, "-p", strconv.Itoa(s.Port),
		"-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + s.Dir}
	if !s.opts.Durable {
		args = append(args, "-c", "fsync=off", "-c", "full_page_writes=off",
			"-c", "synchronous_commit=off")
	}
	s.cmd = s.command(filepath.Join(s.bin, "postgres"), args...)
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("pgtest: start postgres: %w", err)
	}
	s.t.Cleanup(s.Stop)
	if err := s.waitReady(10 * time.Second); err != nil {
		log, _ := os.ReadFile(logPath)
		return fmt.Errorf("%w\n%s", err, log)
	}
	return nil
}

// waitReady waits until the server accepts connections on its socket.
func (s *Server) waitReady(limit time.Duration) error {
	bin := filepath.Join(s.bin, "pg_isready")
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		err := exec.Command(bin, "-q", "-h", "127.0.0.1", "-p", strconv.Itoa(s.Port),
			"-U", User).Run()
		if err == nil {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("pgtest: postgres did not accept connections on port %d within %v",
		s.Port, limit)
}

// DSN returns the connection string of database on the server.
func (s *Server) DSN(database string) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", User, s.Port, database)
}

// NewDatabase creates an empty database and returns its DSN.
func (s *Server) NewDatabase() string {
	s.t.Helper()
	s.created++
	name := fmt.Sprintf("test%d", s.created)
	psql := filepath.Join(s.bin, "psql")
	out, err := exec.Command(psql, "-q", "-X", "-d", s.DSN("postgres"), "-c",
		"CREATE DATABASE "+name).CombinedOutput()
	if err != nil {
		s.t.Fatalf("pgtest: create database %s: %v\n%s", name, err, out)
	}
	return s.DSN(name)
}

// Stop ends the server with a fast shutdown (SIGINT) and kills it if it
// has not exited within 10 s. It is safe to call twice.
func (s *Server) Stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGINT)
	done := make(chan struct{})
	go func() {
		_ = s.cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
	s.cmd = nil
}
