package wire

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseCommand(t *testing.T) {
	tests := []struct {
		name    string
		cmd     string
		payload string
		want    Command
		wantErr error
	}{
		{"label", CmdLabel, `{"v":1,"id":"a","cluster":3,"label":"door"}`,
			Command{Name: CmdLabel, ID: "a", Cluster: 3, Label: "door"}, nil},
		{"label clear", CmdLabel, `{"v":1,"id":"a","cluster":0,"label":""}`,
			Command{Name: CmdLabel, ID: "a"}, nil},
		{"reset", CmdReset, `{"v":1,"id":"b"}`, Command{Name: CmdReset, ID: "b"}, nil},
		{"resync", CmdResync, `{"v":1,"id":"c","kind":"summary","from":7}`,
			Command{Name: CmdResync, ID: "c", Kind: KindSummary, From: 7}, nil},
		{"unknown name", "reboot", `{"v":1,"id":"d"}`,
			Command{Name: "reboot", ID: "d"}, ErrUnknownCommand},
		{"future version", CmdReset, `{"v":2,"id":"e"}`,
			Command{Name: CmdReset, ID: "e"}, ErrUnsupportedVersion},
		{"no version", CmdReset, `{"id":"f"}`, Command{Name: CmdReset, ID: "f"}, ErrMalformed},
		{"no id", CmdReset, `{"v":1}`, Command{Name: CmdReset}, ErrMalformed},
		{"id with newline", CmdReset, `{"v":1,"id":"a\nb"}`, Command{Name: CmdReset},
			ErrMalformed},
		{"not json", CmdReset, `{"v":1,`, Command{Name: CmdReset}, ErrMalformed},
		{"trailing data", CmdReset, `{"v":1,"id":"g"} {}`, Command{Name: CmdReset, ID: "g"},
			ErrMalformed},
		{"unknown field", CmdReset, `{"v":1,"id":"h","force":true}`,
			Command{Name: CmdReset, ID: "h"}, ErrMalformed},
		{"reset with args", CmdReset, `{"v":1,"id":"i","cluster":1}`,
			Command{Name: CmdReset, ID: "i"}, ErrMalformed},
		{"label without cluster", CmdLabel, `{"v":1,"id":"j","label":"x"}`,
			Command{Name: CmdLabel, ID: "j"}, ErrMalformed},
		{"label negative", CmdLabel, `{"v":1,"id":"k","cluster":-2,"label":"x"}`,
			Command{Name: CmdLabel, ID: "k"}, ErrMalformed},
		{"label too long", CmdLabel,
			`{"v":1,"id":"l","cluster":1,"label":"` + strings.Repeat("x", 65) + `"}`,
			Command{Name: CmdLabel, ID: "l"}, ErrMalformed},
		{"resync bad kind", CmdResync, `{"v":1,"id":"m","kind":"status","from":1}`,
			Command{Name: CmdResync, ID: "m"}, ErrMalformed},
		{"resync from zero", CmdResync, `{"v":1,"id":"n","kind":"summary"}`,
			Command{Name: CmdResync, ID: "n"}, ErrMalformed},
		{"config empty", CmdConfig, `{"v":1,"id":"o","set":{}}`,
			Command{Name: CmdConfig, ID: "o"}, ErrMalformed},
		{"config unknown key", CmdConfig, `{"v":1,"id":"p","set":{"cluster.k":3}}`,
			Command{Name: CmdConfig, ID: "p"}, ErrMalformed},
		{"config range", CmdConfig, `{"v":1,"id":"q","set":{"summary.every_frames":0}}`,
			Command{Name: CmdConfig, ID: "q"}, ErrMalformed},
		{"config short interval", CmdConfig, `{"v":1,"id":"r","set":{"summary.interval":"1ms"}}`,
			Command{Name: CmdConfig, ID: "r"}, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseCommand(tt.cmd, []byte(tt.payload))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if got.Name != tt.want.Name || got.ID != tt.want.ID || got.Cluster != tt.want.Cluster ||
				got.Label != tt.want.Label || got.Kind != tt.want.Kind || got.From != tt.want.From {
				t.Errorf("command = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseConfigCommand(t *testing.T) {
	payload := `{"v":1,"id":"a","set":{"summary.every_frames":5,"summary.interval":"250ms"}}`
	cmd, err := ParseCommand(CmdConfig, []byte(payload))
	if err != nil {
		t.Fatal(err)
	}
	if cmd.Set.EveryFrames == nil || *cmd.Set.EveryFrames != 5 {
		t.Errorf("every_frames = %v, want 5", cmd.Set.EveryFrames)
	}
	if cmd.Set.Interval == nil || *cmd.Set.Interval != 250*time.Millisecond {
		t.Errorf("interval = %v, want 250ms", cmd.Set.Interval)
	}
	if cmd.Set.Sample != nil {
		t.Errorf("sample = %d, want unchanged (nil)", *cmd.Set.Sample)
	}
}

func TestCommandName(t *testing.T) {
	tests := []struct {
		topic string
		want  string
		ok    bool
	}{
		{"p/cam-1/cmd/label", "label", true},
		{"p/cam-1/cmd/", "", false},
		{"p/cam-1/cmd/a/b", "", false},
		{"p/cam-2/cmd/label", "", false},
	}
	for _, tt := range tests {
		got, ok := CommandName("p", "cam-1", tt.topic)
		if got != tt.want || ok != tt.ok {
			t.Errorf("CommandName(%q) = %q, %v; want %q, %v", tt.topic, got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzParseCommand seeds from testdata/commands/NAME-CASE.json, where NAME
// is the command name taken from the topic.
func FuzzParseCommand(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "commands", "*.json"))
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		name, _, _ := strings.Cut(filepath.Base(p), "-")
		f.Add(name, data)
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		cmd, err := ParseCommand(name, data)
		if cmd.ID != "" && !validID(cmd.ID) {
			t.Fatalf("returned invalid id %q", cmd.ID)
		}
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrUnknownCommand) &&
				!errors.Is(err, ErrUnsupportedVersion) {
				t.Fatalf("error %v is none of the sentinel errors", err)
			}
			return
		}
		checkAccepted(t, cmd)
	})
}

func checkAccepted(t *testing.T, cmd Command) {
	switch cmd.Name {
	case CmdLabel:
		if cmd.Cluster < 0 || !validLabel(cmd.Label) {
			t.Fatalf("accepted label %+v", cmd)
		}
	case CmdResync:
		if cmd.From == 0 || (cmd.Kind != KindSummary && cmd.Kind != KindEvent) {
			t.Fatalf("accepted resync %+v", cmd)
		}
	case CmdConfig:
		s := cmd.Set
		if s.EveryFrames == nil && s.Interval == nil && s.Sample == nil {
			t.Fatalf("accepted empty config %+v", cmd)
		}
	case CmdSendExemplars:
		if cmd.Cluster < -1 {
			t.Fatalf("accepted send_exemplars %+v", cmd)
		}
	case CmdRefineCentroids:
		if cmd.Refine == nil || checkRefinement(*cmd.Refine) != nil {
			t.Fatalf("accepted refine_centroids %+v", cmd)
		}
	case CmdReset:
	default:
		t.Fatalf("accepted unknown command %q", cmd.Name)
	}
}
