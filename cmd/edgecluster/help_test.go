package main

import (
	"context"
	"errors"
	"flag"
	"os"
	"strings"
	"testing"
)

// helpArgs returns every command and subcommand line followed by -h or
// --help.
func helpArgs() [][]string {
	parents := map[string][]command{"models": modelCommands, "dec": decCommands,
		"config": configCommands}
	var out [][]string
	for _, c := range commands {
		out = append(out, []string{c.name})
		for _, sub := range parents[c.name] {
			out = append(out, []string{c.name, sub.name})
		}
	}
	for _, action := range serviceActions {
		out = append(out, []string{"service", action})
	}
	var withHelp [][]string
	for _, line := range out {
		for _, flagName := range []string{"-h", "--help"} {
			withHelp = append(withHelp, append(append([]string{}, line...), flagName))
		}
	}
	return withHelp
}

func TestEveryCommandHelpExitsZero(t *testing.T) {
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	stderr := os.Stderr
	os.Stderr = devNull
	defer func() { os.Stderr = stderr }()

	for _, args := range helpArgs() {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			if code, out := capture(t, args...); code != 0 {
				t.Errorf("exit code %d, want 0; output %q", code, out)
			}
		})
	}
}

func TestSubcommandUsage(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"help", []string{"--help"}, flag.ErrHelp.Error()},
		{"none", nil, "no subcommand given: use one of train, cluster"},
		{"unknown", []string{"fit"}, `unknown dec subcommand "fit": use one of train, cluster`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := runSubcommand(context.Background(), "dec", "", decCommands, tt.args)
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("error %v, want %q", err, tt.wantErr)
			}
			if tt.name == "help" && !errors.Is(err, flag.ErrHelp) {
				t.Errorf("error %v is not flag.ErrHelp", err)
			}
		})
	}
}
