package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kardianos/service"

	"github.com/edgecluster/edgecluster/systemd"
)

// serviceActions are the verbs of "edgecluster service".
var serviceActions = []string{"install", "uninstall", "start", "stop", "restart", "status"}

// program satisfies service.Interface. The service manager runs
// "edgecluster run" directly, so these are never called.
type program struct{}

func (program) Start(service.Service) error { return nil }
func (program) Stop(service.Service) error  { return nil }

func runService(_ context.Context, args []string) error {
	fs := newFlagSet("service", "install|uninstall|start|stop|restart|status")
	if err := fs.Parse(args); err != nil {
		return err
	}
	rest := fs.Args()
	action := firstOr(rest, "")
	if len(rest) > 1 {
		if err := fs.Parse(rest[1:]); err != nil {
			return err
		}
		if fs.NArg() > 0 {
			return fmt.Errorf("unexpected argument %q after %s: give one action", fs.Arg(0),
				action)
		}
	}
	if !contains(serviceActions, action) {
		fs.Usage()
		return fmt.Errorf("unknown service action %q: use one of %v", action, serviceActions)
	}
	svc, err := newService()
	if err != nil {
		return err
	}
	if action == "status" {
		return printServiceStatus(svc)
	}
	if err := service.Control(svc, action); err != nil {
		return fmt.Errorf("%s with %s: %w", action, service.Platform(), err)
	}
	fmt.Printf("edgecluster service: %s done\n", action)
	if action == "install" {
		printInstallNotes()
	}
	return nil
}

// newService describes the daemon to the service manager. On systemd the
// unit is the hardened one from the systemd folder with ExecStart set to
// this binary.
func newService() (service.Service, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	if exe, err = filepath.EvalSymlinks(exe); err != nil {
		return nil, err
	}
	unit, err := systemd.UnitFor(exe)
	if err != nil {
		return nil, err
	}
	cfg := &service.Config{
		Name:        "edgecluster",
		DisplayName: "edgecluster",
		Description: "edgecluster camera clustering daemon",
		Executable:  exe,
		Arguments:   []string{"run", "--config", defaultConfigPath},
		Option:      service.KeyValue{"SystemdScript": unit, "Restart": "on-failure"},
	}
	return service.New(program{}, cfg)
}

func printServiceStatus(svc service.Service) error {
	st, err := svc.Status()
	if errors.Is(err, service.ErrNotInstalled) {
		fmt.Println("edgecluster service: not installed")
		return errUnhealthy
	}
	if err != nil {
		return fmt.Errorf("status with %s: %w", service.Platform(), err)
	}
	names := map[service.Status]string{service.StatusRunning: "running",
		service.StatusStopped: "stopped"}
	name, ok := names[st]
	if !ok {
		name = "unknown"
	}
	fmt.Printf("edgecluster service: %s (%s)\n", name, service.Platform())
	if st != service.StatusRunning {
		return errUnhealthy
	}
	return nil
}

func printInstallNotes() {
	fmt.Println("The unit runs as user edgecluster in group video. Create them with\n" +
		"  useradd --system --home-dir /var/lib/edgecluster --shell /usr/sbin/nologin " +
		"--groups video edgecluster\n" +
		"unless the .deb did. Write " + defaultConfigPath + " (see edgecluster.example.toml),\n" +
		"check it with 'edgecluster config check', then run 'edgecluster service start'.")
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
