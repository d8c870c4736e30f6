package daemon

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestCheckConfigFileResources(t *testing.T) {
	dir := t.TempDir()
	clip := writeClip(t, clipFrames(t, 0, 1))
	missing := filepath.Join(dir, "missing.mjpeg")
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	head := "device_id = \"c\"\n[source]\npath = %q\n"
	tests := []struct {
		name string
		text string
		want []Problem
	}{
		{"readable source", fmt.Sprintf(head, clip), nil},
		{"missing source", fmt.Sprintf(head, missing), []Problem{{Key: "source.path", Line: 3,
			Message: fmt.Sprintf("%q cannot be opened: no such file or directory", missing)}}},
		{"folder without images", fmt.Sprintf(head, empty), []Problem{{Key: "source.path",
			Line: 3, Message: fmt.Sprintf("%q cannot be opened: replay: folder has no .jpg, "+
				".jpeg or .png files: %s", empty, empty)}}},
		{"missing model", fmt.Sprintf(head, clip) + "[model]\npath = \"/nonexistent.tflite\"\n",
			[]Problem{{Key: "model.path", Line: 5, Message: "\"/nonexistent.tflite\" cannot " +
				"be opened: no such file or directory"}}},
		{"pca dims above model dims", fmt.Sprintf(head, clip) + "[cluster]\npca_dims = 2000\n",
			[]Problem{{Key: "cluster.pca_dims", Line: 5, Message: "2000 must be below the " +
				"model's embedding dimension 1280; lower it, or set 0 to turn PCA off"}}},
		{"pca dims below model dims", fmt.Sprintf(head, clip) + "[cluster]\npca_dims = 32\n",
			nil},
		{"missing ca file", fmt.Sprintf(head, clip) + "[mqtt]\nbroker = \"ssl://h:8883\"\n" +
			"ca_file = \"/nonexistent.pem\"\n", []Problem{{Key: "mqtt.ca_file", Line: 6,
			Message: "\"/nonexistent.pem\" cannot be opened: no such file or directory"}}},
		{"missing camera", "device_id = \"c\"\n[source]\nkind = \"v4l2\"\n" +
			"device = \"/nonexistent/video9\"\n", []Problem{{Key: "source.device", Line: 4,
			Message: "/nonexistent/video9: no such file or directory; the daemon starts " +
				"anyway and opens the camera once it appears", Warning: true}}},
		{"camera url", "device_id = \"c\"\n[source]\nkind = \"http\"\n" +
			"url = \"http://127.0.0.1:1/stream\"\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := CheckConfigFile([]byte(tt.text))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("problems\n%#v\nwant\n%#v", got, tt.want)
			}
		})
	}
}

// TestCheckConfigFileSyntaxOnly checks that a file that is not valid TOML
// gets only its syntax error, not problems of the zero config.
func TestCheckConfigFileSyntaxOnly(t *testing.T) {
	_, got := CheckConfigFile([]byte("device_id = \"c\"\n[source\n"))
	if len(got) != 1 {
		t.Fatalf("problems %+v, want only the syntax error", got)
	}
	if got[0].Line != 2 {
		t.Errorf("syntax error on line %d, want 2", got[0].Line)
	}
}
