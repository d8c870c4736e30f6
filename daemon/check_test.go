package daemon

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestCheckConfig(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []Problem
	}{
		{"valid", "device_id = \"cam-1\"\n[source]\npath = \"x\"\n", nil},
		{"unknown key", "device_id = \"cam-1\"\n[source]\npath = \"x\"\n\n[cluster]\nkk = 3\n",
			[]Problem{{Key: "cluster.kk", Line: 6, Message: "unknown key: check its " +
				"spelling against edgecluster.example.toml"}}},
		{"unknown table", "device_id = \"c\"\n[source]\npath = \"x\"\n[clustr]\nk = 3\n",
			[]Problem{{Key: "clustr", Line: 4, Message: "unknown key: check its " +
				"spelling against edgecluster.example.toml"}}},
		{"wrong types", "device_id = \"cam-1\"\nworkers = \"two\"\n[source]\npath = \"x\"\n" +
			"[cluster]\nk = \"eight\"\n",
			[]Problem{
				{Key: "workers", Line: 2, Message: "incompatible types: TOML value has type " +
					"string; destination has type integer"},
				{Key: "cluster.k", Line: 6, Message: "incompatible types: TOML value has " +
					"type string; destination has type integer"},
			}},
		{"bad duration", "device_id = \"c\"\n[source]\npath = \"x\"\n[summary]\n" +
			"interval = \"soon\"\n",
			[]Problem{{Key: "summary.interval", Line: 5, Message: "duration \"soon\": use " +
				"a number with a unit, such as \"30s\" or \"5m\""}}},
		{"invalid values", "device_id = \"cam-1\"\n[source]\npath = \"x\"\n" +
			"[cluster]\nk = -2\n[http]\nlisten = \"9471\"\n",
			[]Problem{
				{Key: "cluster.k", Line: 5, Message: "-2 must be 1-1024"},
				{Key: "http.listen", Line: 7, Message: "\"9471\" must be host:port such as " +
					"127.0.0.1:9471, or \"off\""},
			}},
		{"missing required", "device_id = \"cam-1\"\n",
			[]Problem{{Key: "source.path", Line: 0,
				Message: "is required for kind \"file\": set it to an MJPEG file or image " +
					"folder in the config file, or pass --source FILE to edgecluster run"}}},
		{"broker port", "device_id = \"c\"\nsource.path = \"x\"\n[mqtt]\n" +
			"broker = \"tcp://127.0.0.1:99999\"\n",
			[]Problem{{Key: "mqtt.broker", Line: 4, Message: "\"tcp://127.0.0.1:99999\" " +
				"has port 99999, which must be 1-65535"}}},
		{"broker scheme", "device_id = \"c\"\nsource.path = \"x\"\n[mqtt]\n" +
			"broker = \"http://x:1883\"\n",
			[]Problem{{Key: "mqtt.broker", Line: 4, Message: "\"http://x:1883\" has the " +
				"unsupported scheme \"http\": use tcp://, ssl://, tls://, mqtt://, mqtts://, " +
				"ws://, wss://"}}},
		{"pca dims above default warm-up", "device_id = \"c\"\nsource.path = \"x\"\n" +
			"[cluster]\npca_dims = 5000\n",
			[]Problem{{Key: "cluster.pca_dims", Line: 4, Message: "5000 must be below 4096: " +
				"cluster.pca_warmup defaults to 4096, its maximum, and must exceed " +
				"cluster.pca_dims, because the basis needs one more embedding than it has " +
				"components; lower cluster.pca_dims"}}},
		{"pca warm-up set too low", "device_id = \"c\"\nsource.path = \"x\"\n" +
			"[cluster]\npca_dims = 100\npca_warmup = 50\n",
			[]Problem{{Key: "cluster.pca_warmup", Line: 5, Message: "50 must exceed " +
				"cluster.pca_dims 100, because the basis needs one more embedding than it " +
				"has components"}}},
		{"dotted key", "device_id = \"c\"\nsource.path = \"x\"\ncluster.metric = \"l1\"\n",
			[]Problem{{Key: "cluster.metric", Line: 3,
				Message: "\"l1\" must be \"euclidean\" or \"cosine\""}}},
		{"syntax", "device_id = \"c\"\n[cluster\nk = 3\n",
			[]Problem{{Line: 2, Message: "invalid TOML: expected '.' or ']' to end table " +
				"name, but got '\\n' instead"}}},
		{"syntax mid line", "a = 1\nb = = 2\n",
			[]Problem{{Key: "b", Line: 2, Message: "invalid TOML: expected value but " +
				"found '=' instead"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := CheckConfig([]byte(tt.text))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("problems\n%#v\nwant\n%#v", got, tt.want)
			}
		})
	}
}

// TestCheckConfigListsEveryKind checks that one run reports invalid values
// next to unknown keys and wrong types.
func TestCheckConfigListsEveryKind(t *testing.T) {
	data, err := os.ReadFile("testdata/bad.toml")
	if err != nil {
		t.Fatal(err)
	}
	_, problems := CheckConfig(data)
	want := []struct {
		line int
		key  string
	}{{2, "device_id"}, {3, "workers"}, {7, "source.fsp"}, {10, "cluster.k"},
		{11, "cluster.metric"}, {14, "summary.interval"}}
	if len(problems) != len(want) {
		t.Fatalf("%d problems, want %d: %v", len(problems), len(want), problems)
	}
	for i, w := range want {
		if problems[i].Line != w.line || problems[i].Key != w.key {
			t.Errorf("problem %d is %v, want line %d key %s", i, problems[i], w.line, w.key)
		}
	}
}

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{Key: "cluster.k", Line: 5, Message: "bad"}, "line 5: cluster.k: bad"},
		{Problem{Key: "source.path", Message: "is required"}, "source.path: is required"},
		{Problem{Line: 2, Message: "invalid TOML"}, "line 2: invalid TOML"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

func TestLoadConfigNamesLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.toml")
	if err := os.WriteFile(path, []byte("[mqtt]\nbrokr = \"tcp://a:1\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadConfig(path)
	if err == nil || !strings.Contains(err.Error(), "line 2: mqtt.brokr: unknown key") {
		t.Errorf("err %v, want one naming line 2 and mqtt.brokr", err)
	}
}

func TestKeyLines(t *testing.T) {
	text := "# comment\na = 1\n[t]\n\"b\" = 2\n c.d = 3\n[ u . v ]\nw='x=y'\n[[arr]]\nz = 1\n"
	want := map[string]int{"a": 2, "t": 3, "t.b": 4, "t.c.d": 5, "u.v": 6, "u.v.w": 7,
		"arr": 8, "arr.z": 9}
	if got := keyLines([]byte(text)); !reflect.DeepEqual(got, want) {
		t.Errorf("keyLines\n%v\nwant\n%v", got, want)
	}
}

func FuzzCheckConfig(f *testing.F) {
	for _, name := range []string{"../edgecluster.example.toml", "testdata/bad.toml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, problems := CheckConfig(data)
		lines := strings.Count(string(data), "\n") + 1
		for _, p := range problems {
			if p.Line < 0 || p.Line > lines {
				t.Errorf("problem %v names line %d of %d", p, p.Line, lines)
			}
			if p.Message == "" {
				t.Errorf("problem %#v has no message", p)
			}
		}
	})
}
